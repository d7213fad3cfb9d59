package io.eqntk.io;

import io.eqntk.EqntkException;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Reads and writes NumPy {@code .npz} archives (zip files of {@code .npy} entries, stored or deflated).
 * Keys are entry names without the {@code .npy} suffix, in archive order.
 */
public final class Npz {
    private Npz() {
    }

    /**
     * Reads every array of an npz archive.
     *
     * @throws EqntkException naming the file when it is missing, not a zip archive, or holds a bad entry
     */
    public static Map<String, NdArray> read(Path file) {
        if (!Files.exists(file)) {
            throw new EqntkException("npz file not found: " + file);
        }
        if (Files.isDirectory(file)) {
            throw new EqntkException("expected an npz file but found a folder: " + file);
        }
        Map<String, NdArray> out = new LinkedHashMap<>();
        try (ZipFile zip = new ZipFile(file.toFile())) {
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry e = entries.nextElement();
                if (e.isDirectory()) {
                    continue;
                }
                String key = e.getName();
                if (!key.endsWith(".npy")) {
                    continue; // a text member (numpy returns its bytes), not an array
                }
                key = key.substring(0, key.length() - 4);
                try (InputStream in = new BufferedInputStream(zip.getInputStream(e), 1 << 16)) {
                    out.put(key, Npy.read(in, file + ":" + e.getName()));
                }
            }
        } catch (ZipException e) {
            throw new EqntkException("not an npz (zip) file or corrupt archive: " + file
                    + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")"), e);
        } catch (IOException e) {
            throw new EqntkException("cannot read npz file " + file + ": " + AtomicFiles.describe(e), e);
        }
        return out;
    }

    /** Writes arrays as a deflate-compressed npz archive (float64 entries), atomically. */
    public static void write(Path file, Map<String, NdArray> arrays) {
        write(file, arrays, Map.of());
    }

    /**
     * Writes arrays and UTF-8 text members (named as given, e.g. {@code x1_files.txt}; numpy's {@code load}
     * returns a text member's bytes) as a deflate-compressed npz archive, atomically.
     */
    public static void write(Path file, Map<String, NdArray> arrays, Map<String, String> texts) {
        AtomicFiles.write(file, out -> {
            ZipOutputStream zos = new ZipOutputStream(out);
            zos.setLevel(6);
            for (Map.Entry<String, NdArray> e : arrays.entrySet()) {
                zos.putNextEntry(new ZipEntry(e.getKey() + ".npy"));
                Npy.write(zos, e.getValue());
                zos.closeEntry();
            }
            for (Map.Entry<String, String> e : texts.entrySet()) {
                zos.putNextEntry(new ZipEntry(e.getKey()));
                zos.write(e.getValue().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                zos.closeEntry();
            }
            zos.finish();
        });
    }

    /** The text members of an npz archive (entries not ending in .npy), by name. */
    public static Map<String, String> readTexts(Path file) {
        Map<String, String> out = new LinkedHashMap<>();
        try (ZipFile zip = new ZipFile(file.toFile())) {
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry e = entries.nextElement();
                if (!e.isDirectory() && !e.getName().endsWith(".npy")) {
                    try (InputStream in = zip.getInputStream(e)) {
                        out.put(e.getName(), new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
                    }
                }
            }
        } catch (IOException e) {
            throw new EqntkException("cannot read npz file " + file + ": " + AtomicFiles.reason(e), e);
        }
        return out;
    }
}
