package io.eqntk.spark;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.util.Arrays;

/**
 * Runs a main class ({@code args[0]}, with the rest as its arguments) and ends the JVM when standard input
 * reaches its end, which happens when the process that started it and held the other end of the pipe exits,
 * even by SIGKILL. {@link LocalCluster} starts every Spark master, worker and driver through it, so a killed
 * test or script never leaves a Spark process behind (a worker that exits stops its executors). It is copied
 * alone into a jar of its own, so it must use nothing but the JDK.
 */
public final class ExitWithParent {
    private ExitWithParent() {
    }

    public static void main(String[] args) throws Throwable {
        Thread watch = new Thread(() -> {
            InputStream in = System.in;
            try {
                while (in.read() >= 0) {
                    // the parent never writes; anything read is ignored
                }
            } catch (IOException ignored) {
                // a broken pipe is a parent gone, too
            }
            Thread halt = new Thread(() -> {
                try {
                    Thread.sleep(20_000);
                } catch (InterruptedException ignored) {
                    // exiting anyway
                }
                Runtime.getRuntime().halt(143);
            }, "exit-with-parent-halt");
            halt.setDaemon(true);
            halt.start();
            System.exit(143); // shutdown hooks run: a worker stops its executors
        }, "exit-with-parent");
        watch.setDaemon(true);
        watch.start();
        try {
            Class.forName(args[0]).getMethod("main", String[].class)
                .invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
