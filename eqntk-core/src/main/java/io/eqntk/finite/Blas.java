package io.eqntk.finite;

import dev.ludovic.netlib.blas.BLAS;
import dev.ludovic.netlib.blas.JavaBLAS;
import dev.ludovic.netlib.blas.NativeBLAS;
import io.eqntk.EqntkException;

import java.util.Locale;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Row-major matrix products of the finite layers through {@code dev.ludovic.netlib}: the system BLAS (OpenBLAS
 * from {@code libopenblas0-pthread}, found as {@code libblas.so.3}) when it loads, else the pure-Java fallback.
 * The choice is made once per process and said once on standard error; {@code -Deqntk.blas=java} (or the
 * environment variable {@code EQNTK_BLAS=java}) forces the fallback, {@code native} requires the library.
 *
 * <p>Threads: a product is cut into blocks of rows (or of columns when it has few rows) by its dimensions
 * alone, and the blocks run in parallel, each as one BLAS call, so the result does not depend on the number
 * of threads. Each call is meant to run single-threaded inside the library ({@code OPENBLAS_NUM_THREADS=1}, set
 * by the launcher and the tests): the threads are ours.
 */
public final class Blas {
    /**
     * Floating-point operations per block below which a product is not cut, and the fewest rows of a block:
     * OpenBLAS packs all of op(B) again for every block, and blocks of 28 rows ran at 70% of the uncut rate
     * (float64, 448 x 128 x 1152), blocks of 112 rows at 86% (BENCHMARKS.md, "Finite networks").
     */
    private static final double BLOCK_FLOPS = 24e6;
    private static final int BLOCK_ROWS = 96;
    private static final int MAX_BLOCKS = 16;
    private static volatile Blas system;

    private final BLAS impl;
    private final boolean isNative;

    private Blas(BLAS impl, boolean isNative) {
        this.impl = impl;
        this.isNative = isNative;
    }

    /** The process-wide BLAS: native when it loads (unless told otherwise), announced once on stderr. */
    public static Blas system() {
        Blas b = system;
        if (b == null) {
            synchronized (Blas.class) {
                b = system;
                if (b == null) {
                    b = choose();
                    System.err.println("eqntk: finite networks use " + b.description());
                    system = b;
                }
            }
        }
        return b;
    }

    /** The pure-Java BLAS (vectorised when the incubating Vector API is present), whatever the system has. */
    public static Blas java() {
        return new Blas(JavaBLAS.getInstance(), false);
    }

    private static Blas choose() {
        String want = System.getProperty("eqntk.blas", System.getenv("EQNTK_BLAS"));
        want = want == null ? "auto" : want.trim().toLowerCase(Locale.ROOT);
        if (want.equals("java")) {
            return java();
        }
        if (!want.equals("auto") && !want.equals("native")) {
            throw new EqntkException("eqntk.blas must be auto, native or java, got '" + want + "'");
        }
        // netlib logs a warning with a stack trace when the library is missing; the line printed by system() says it
        Logger log = Logger.getLogger("dev.ludovic.netlib.blas.InstanceBuilder");
        Level before = log.getLevel();
        log.setLevel(Level.OFF);
        try {
            return new Blas(NativeBLAS.getInstance(), true);
        } catch (RuntimeException | LinkageError e) {
            if (want.equals("native")) {
                throw new EqntkException("eqntk.blas=native but the system BLAS (libblas.so.3) does not load: " + e);
            }
            return java();
        } finally {
            log.setLevel(before);
        }
    }

    public boolean isNative() {
        return isNative;
    }

    /** One line: which implementation and where it comes from. */
    public String description() {
        if (isNative) {
            return "the native BLAS " + impl.getClass().getSimpleName() + " ("
                + System.getProperty("dev.ludovic.netlib.blas.nativeLib", "libblas.so.3") + ", OpenBLAS on Debian)";
        }
        return "the pure-Java BLAS " + impl.getClass().getSimpleName()
            + " (slower; install libopenblas0-pthread for the native one)";
    }

    /**
     * {@code C = alpha op(A) op(B) + beta C}, all row-major: C is m x n with leading dimension ldc, op(A) is m x k
     * (A stored k x m when transA), op(B) is k x n (B stored n x k when transB). Cut into row blocks (netlib checks
     * that a block's last column ends inside the array, so with transA a cut needs lda values of slack after A).
     */
    public void dgemm(int threads, boolean transA, boolean transB, int m, int n, int k, double alpha, double[] a,
                      int aOff, int lda, double[] b, int bOff, int ldb, double beta, double[] c, int cOff, int ldc) {
        boolean cut = !transA || a.length >= aOff + (long) lda * k + m;
        blocks(threads, cut ? m : 0, m, n, k, (r0, r1) -> impl.dgemm(transB ? "T" : "N", transA ? "T" : "N", n,
            r1 - r0, k, alpha, b, bOff, ldb, a, aOff + (transA ? r0 : r0 * lda), lda, beta, c, cOff + r0 * ldc, ldc));
    }

    /** The float32 twin of {@link #dgemm}. */
    public void sgemm(int threads, boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a,
                      int aOff, int lda, float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
        boolean cut = !transA || a.length >= aOff + (long) lda * k + m;
        blocks(threads, cut ? m : 0, m, n, k, (r0, r1) -> impl.sgemm(transB ? "T" : "N", transA ? "T" : "N", n,
            r1 - r0, k, alpha, b, bOff, ldb, a, aOff + (transA ? r0 : r0 * lda), lda, beta, c, cOff + r0 * ldc, ldc));
    }

    private interface Rows {
        void run(int r0, int r1);
    }

    /**
     * Cuts the m rows of an m x n product into blocks by its size alone (none when {@code cuttable} is 0; a power
     * of two, so that 2, 4, ... threads share them evenly) and runs them on up to {@code threads} workers.
     */
    private static void blocks(int threads, int cuttable, int m, int n, int k, Rows body) {
        if (m == 0 || n == 0) {
            return;
        }
        double flops = 2.0 * m * n * Math.max(k, 1);
        int most = (int) Math.min(Math.min(MAX_BLOCKS, cuttable / BLOCK_ROWS), Math.max(1, flops / BLOCK_FLOPS));
        int count = Integer.highestOneBit(Math.max(1, most));
        if (count <= 1) {
            body.run(0, m);
            return;
        }
        Workers.ranges(threads, m, count, body::run);
    }
}
