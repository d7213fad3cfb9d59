package io.eqntk;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The eqntk version, from the build (Maven filters it into eqntk-version.properties): the one place it is read. */
public final class Version {
    private static final String VERSION = read();

    private Version() {
    }

    /** The project version, e.g. 0.1.0-SNAPSHOT ("dev" when the resource is missing or unfiltered). */
    public static String eqntk() {
        return VERSION;
    }

    private static String read() {
        try (InputStream in = Version.class.getResourceAsStream("eqntk-version.properties")) {
            if (in == null) {
                return "dev";
            }
            Properties p = new Properties();
            p.load(in);
            String v = p.getProperty("version", "dev").trim();
            return v.isEmpty() || v.startsWith("${") ? "dev" : v;
        } catch (IOException e) {
            return "dev";
        }
    }
}
