package io.eqntk.finite;

import io.eqntk.model.Precision;

import java.util.function.DoubleUnaryOperator;

/**
 * The arithmetic of one precision over its primitive arrays ({@code double[]} or {@code float[]}, passed as
 * Object), so that every batched layer is written once: index work goes through {@link System#arraycopy}, and
 * only the short loops below and the matrix products know the element type.
 */
abstract class Floats {
    static final Floats F64 = new F64();
    static final Floats F32 = new F32();

    static Floats of(Precision p) {
        return p == Precision.FLOAT32 ? F32 : F64;
    }

    abstract Precision precision();

    abstract Object alloc(int n);

    /** dst[dstOff + i] = src[srcOff + i] converted, i < n. */
    abstract void fromDouble(double[] src, int srcOff, Object dst, int dstOff, int n);

    /** dst[dstOff + i] += scale * src[srcOff + i], i < n. */
    abstract void addToDouble(Object src, int srcOff, double[] dst, int dstOff, int n, double scale);

    /** y[yOff + i] += scale * x[xOff + i], i < n. */
    abstract void addScaled(Object x, int xOff, Object y, int yOff, int n, double scale);

    /** dst[dstOff + i] = scale * src[srcOff + i], i < n. */
    abstract void scaled(Object src, int srcOff, Object dst, int dstOff, int n, double scale);

    /** Row-major C = alpha op(A) op(B) + beta C (see {@link Blas#dgemm}). */
    abstract void gemm(Blas blas, int threads, boolean ta, boolean tb, int m, int n, int k, double alpha, Object a,
                       int aOff, int lda, Object b, int bOff, int ldb, double beta, Object c, int cOff, int ldc);

    /** y = max(x, 0). */
    abstract void relu(Object x, Object y, int n);

    /** gx = gy where x > 0, else 0. */
    abstract void reluBackward(Object x, Object gy, Object gx, int n);

    /** y = f(x), evaluated in double precision. */
    abstract void map(DoubleUnaryOperator f, Object x, Object y, int n);

    /** gx = f'(x) gy, f' evaluated in double precision. */
    abstract void mapBackward(DoubleUnaryOperator df, Object x, Object gy, Object gx, int n);

    /**
     * All ones when the IEEE bits are those of a value above zero (sign bit clear, not +0), else zero: ReLU and its
     * derivative as a mask, without a branch (on random signs a branch is mispredicted half the time, which made
     * ReLU cost 4 ns a value).
     */
    static long positive(long bits) {
        return (-bits & ~bits) >> 63;
    }

    /** The float32 twin of {@link #positive(long)}. */
    static int positive(int bits) {
        return (-bits & ~bits) >> 31;
    }

    /** a[off, off + n) = 0. */
    final void clear(Object a, int off, int n) {
        if (a instanceof double[] d) {
            java.util.Arrays.fill(d, off, off + n, 0.0);
        } else {
            java.util.Arrays.fill((float[]) a, off, off + n, 0f);
        }
    }

    /** The double values of a[0, n). */
    final double[] toDouble(Object a, int n) {
        double[] d = new double[n];
        addToDouble(a, 0, d, 0, n, 1);
        return d;
    }

    /**
     * The double values of a[0, n) for reading: float64 gives a itself, float32 converts into {@code scratch}
     * (allocated when null or short) and gives that.
     */
    final double[] view(Object a, int n, double[] scratch) {
        if (precision() == Precision.FLOAT64) {
            return (double[]) a;
        }
        double[] d = scratch == null || scratch.length < n ? new double[n] : scratch;
        java.util.Arrays.fill(d, 0, n, 0.0);
        addToDouble(a, 0, d, 0, n, 1);
        return d;
    }

    /** An array of this precision holding all of {@code a}, which the caller gives up (float64: a itself). */
    final Object adopt(double[] a) {
        return precision() == Precision.FLOAT64 ? a : copyOf(a, a.length);
    }

    /** A new array of this precision holding src[0, n). */
    final Object copyOf(double[] src, int n) {
        Object a = alloc(n);
        fromDouble(src, 0, a, 0, n);
        return a;
    }

    private static final class F64 extends Floats {
        @Override
        Precision precision() {
            return Precision.FLOAT64;
        }

        @Override
        Object alloc(int n) {
            return new double[n];
        }

        @Override
        void fromDouble(double[] src, int srcOff, Object dst, int dstOff, int n) {
            System.arraycopy(src, srcOff, dst, dstOff, n);
        }

        @Override
        void addToDouble(Object src, int srcOff, double[] dst, int dstOff, int n, double scale) {
            addScaled(src, srcOff, dst, dstOff, n, scale);
        }

        @Override
        void addScaled(Object x, int xOff, Object y, int yOff, int n, double scale) {
            double[] a = (double[]) x;
            double[] b = (double[]) y;
            for (int i = 0; i < n; i++) {
                b[yOff + i] += scale * a[xOff + i];
            }
        }

        @Override
        void scaled(Object src, int srcOff, Object dst, int dstOff, int n, double scale) {
            double[] a = (double[]) src;
            double[] b = (double[]) dst;
            for (int i = 0; i < n; i++) {
                b[dstOff + i] = scale * a[srcOff + i];
            }
        }

        @Override
        void gemm(Blas blas, int threads, boolean ta, boolean tb, int m, int n, int k, double alpha, Object a,
                  int aOff, int lda, Object b, int bOff, int ldb, double beta, Object c, int cOff, int ldc) {
            blas.dgemm(threads, ta, tb, m, n, k, alpha, (double[]) a, aOff, lda, (double[]) b, bOff, ldb, beta,
                (double[]) c, cOff, ldc);
        }

        @Override
        void relu(Object x, Object y, int n) {
            double[] a = (double[]) x;
            double[] b = (double[]) y;
            for (int i = 0; i < n; i++) {
                long bits = Double.doubleToRawLongBits(a[i]);
                b[i] = Double.longBitsToDouble(bits & positive(bits));
            }
        }

        @Override
        void reluBackward(Object x, Object gy, Object gx, int n) {
            double[] a = (double[]) x;
            double[] g = (double[]) gy;
            double[] r = (double[]) gx;
            for (int i = 0; i < n; i++) {
                long mask = positive(Double.doubleToRawLongBits(a[i]));
                r[i] = Double.longBitsToDouble(Double.doubleToRawLongBits(g[i]) & mask);
            }
        }

        @Override
        void map(DoubleUnaryOperator f, Object x, Object y, int n) {
            double[] a = (double[]) x;
            double[] b = (double[]) y;
            for (int i = 0; i < n; i++) {
                b[i] = f.applyAsDouble(a[i]);
            }
        }

        @Override
        void mapBackward(DoubleUnaryOperator df, Object x, Object gy, Object gx, int n) {
            double[] a = (double[]) x;
            double[] g = (double[]) gy;
            double[] r = (double[]) gx;
            for (int i = 0; i < n; i++) {
                r[i] = df.applyAsDouble(a[i]) * g[i];
            }
        }
    }

    private static final class F32 extends Floats {
        @Override
        Precision precision() {
            return Precision.FLOAT32;
        }

        @Override
        Object alloc(int n) {
            return new float[n];
        }

        @Override
        void fromDouble(double[] src, int srcOff, Object dst, int dstOff, int n) {
            float[] d = (float[]) dst;
            for (int i = 0; i < n; i++) {
                d[dstOff + i] = (float) src[srcOff + i];
            }
        }

        @Override
        void addToDouble(Object src, int srcOff, double[] dst, int dstOff, int n, double scale) {
            float[] s = (float[]) src;
            for (int i = 0; i < n; i++) {
                dst[dstOff + i] += scale * s[srcOff + i];
            }
        }

        @Override
        void addScaled(Object x, int xOff, Object y, int yOff, int n, double scale) {
            float[] a = (float[]) x;
            float[] b = (float[]) y;
            float s = (float) scale;
            for (int i = 0; i < n; i++) {
                b[yOff + i] += s * a[xOff + i];
            }
        }

        @Override
        void scaled(Object src, int srcOff, Object dst, int dstOff, int n, double scale) {
            float[] a = (float[]) src;
            float[] b = (float[]) dst;
            float s = (float) scale;
            for (int i = 0; i < n; i++) {
                b[dstOff + i] = s * a[srcOff + i];
            }
        }

        @Override
        void gemm(Blas blas, int threads, boolean ta, boolean tb, int m, int n, int k, double alpha, Object a,
                  int aOff, int lda, Object b, int bOff, int ldb, double beta, Object c, int cOff, int ldc) {
            blas.sgemm(threads, ta, tb, m, n, k, (float) alpha, (float[]) a, aOff, lda, (float[]) b, bOff, ldb,
                (float) beta, (float[]) c, cOff, ldc);
        }

        @Override
        void relu(Object x, Object y, int n) {
            float[] a = (float[]) x;
            float[] b = (float[]) y;
            for (int i = 0; i < n; i++) {
                int bits = Float.floatToRawIntBits(a[i]);
                b[i] = Float.intBitsToFloat(bits & positive(bits));
            }
        }

        @Override
        void reluBackward(Object x, Object gy, Object gx, int n) {
            float[] a = (float[]) x;
            float[] g = (float[]) gy;
            float[] r = (float[]) gx;
            for (int i = 0; i < n; i++) {
                int mask = positive(Float.floatToRawIntBits(a[i]));
                r[i] = Float.intBitsToFloat(Float.floatToRawIntBits(g[i]) & mask);
            }
        }

        @Override
        void map(DoubleUnaryOperator f, Object x, Object y, int n) {
            float[] a = (float[]) x;
            float[] b = (float[]) y;
            for (int i = 0; i < n; i++) {
                b[i] = (float) f.applyAsDouble(a[i]);
            }
        }

        @Override
        void mapBackward(DoubleUnaryOperator df, Object x, Object gy, Object gx, int n) {
            float[] a = (float[]) x;
            float[] g = (float[]) gy;
            float[] r = (float[]) gx;
            for (int i = 0; i < n; i++) {
                r[i] = (float) (df.applyAsDouble(a[i]) * g[i]);
            }
        }
    }
}
