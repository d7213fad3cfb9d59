package io.eqntk.kernel;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vectorised ReLU and erf kernel maps over variance-factor arrays, in float64 and float32. atan2 is
 * {@link FastMath#atan2} lane by lane (the same IEEE-exact operations in the same order), and SQRT is correctly
 * rounded, so these maps equal the scalar ones bit for bit, before and after JIT compilation alike. Each map is a
 * few short array passes, so no vector crosses a method call the JIT might decline to inline. Only loaded when
 * {@link VectorSupport#ENABLED}.
 */
final class VectorNonlinearities {
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final double TWO_OVER_PI = 2 / Math.PI;
    private static final double FOUR_OVER_PI = 4 / Math.PI;

    private VectorNonlinearities() {
    }

    /**
     * out[oo + j] = atan2(y[oy + j], x[ox + j]) ({@link FastMath#atan2}) for j in [0, len): returns the entries done.
     * The loop holds the whole function, so no vector crosses a call the JIT might decline to inline.
     */
    static int atan2Rows(double[] y, int oy, double[] x, int ox, double[] out, int oo, int len) {
        int bound = S.loopBound(len);
        DoubleVector zero = DoubleVector.zero(S);
        DoubleVector one = DoubleVector.broadcast(S, 1.0);
        DoubleVector t1 = DoubleVector.broadcast(S, FastMath.T1);
        DoubleVector t2 = DoubleVector.broadcast(S, FastMath.T2);
        DoubleVector c1 = DoubleVector.broadcast(S, FastMath.C1);
        DoubleVector a1 = DoubleVector.broadcast(S, FastMath.A1);
        DoubleVector a2 = DoubleVector.broadcast(S, FastMath.A2);
        DoubleVector halfPi = DoubleVector.broadcast(S, FastMath.HALF_PI);
        DoubleVector pi = DoubleVector.broadcast(S, Math.PI);
        for (int j = 0; j < bound; j += S.length()) {
            DoubleVector yv = DoubleVector.fromArray(S, y, oy + j);
            DoubleVector xv = DoubleVector.fromArray(S, x, ox + j);
            DoubleVector ax = xv.abs();
            DoubleVector ay = yv.abs();
            DoubleVector a = ax.min(ay);
            DoubleVector b = ax.max(ay);
            VectorMask<Double> m1 = a.compare(VectorOperators.GT, b.mul(t1));
            VectorMask<Double> m2 = a.compare(VectorOperators.GT, b.mul(t2));
            DoubleVector c = zero.blend(c1, m1).blend(one, m2);
            DoubleVector ac = zero.blend(a1, m1).blend(a2, m2);
            DoubleVector u = c.neg().fma(b, a).div(c.fma(a, b));
            DoubleVector w = u.mul(u);
            // Horner's rule spelled out (see FastMath.ASIN0)
            DoubleVector p = DoubleVector.broadcast(S, FastMath.ATAN0);
            p = p.fma(w, DoubleVector.broadcast(S, FastMath.ATAN1));
            p = p.fma(w, DoubleVector.broadcast(S, FastMath.ATAN2));
            p = p.fma(w, DoubleVector.broadcast(S, FastMath.ATAN3));
            p = p.fma(w, DoubleVector.broadcast(S, FastMath.ATAN4));
            p = p.fma(w, DoubleVector.broadcast(S, FastMath.ATAN5));
            p = p.fma(w, DoubleVector.broadcast(S, FastMath.ATAN6));
            p = p.fma(w, DoubleVector.broadcast(S, FastMath.ATAN7));
            p = p.fma(w, DoubleVector.broadcast(S, FastMath.ATAN8));
            p = p.fma(w, DoubleVector.broadcast(S, FastMath.ATAN9));
            p = p.fma(w, DoubleVector.broadcast(S, FastMath.ATAN10));
            p = p.fma(w, DoubleVector.broadcast(S, FastMath.ATAN11));
            DoubleVector r = ac.add(u.mul(w).fma(p, u));
            r = r.blend(zero, b.compare(VectorOperators.EQ, 0.0));
            r = r.blend(halfPi.sub(r), ay.compare(VectorOperators.GT, ax));
            r = r.blend(pi.sub(r), xv.compare(VectorOperators.LT, 0.0));
            r.blend(r.neg(), yv.compare(VectorOperators.LT, 0.0)).intoArray(out, oo + j);
        }
        return bound;
    }

    /** Entries per double and per float vector. */
    static final int LANES = S.length();
    static final int FLOAT_LANES = F.length();

    /**
     * ReLU with factor planes ({@link ReluKernel#mapFactors}) in one pass: the operations of
     * {@code ReluKernel.entry} lane by lane, reading entry j at off + j and writing it to outOff + j of the
     * output arrays (the inputs themselves for a map in place). Returns the entries done.
     */
    static int reluFactors(double[] fa, int offA, double[] fb, int offB, int plane, double[] sig, double[] th,
                           int off, int len, double[] sigOut, double[] thOut, int outOff) {
        int bound = S.loopBound(len);
        DoubleVector one = DoubleVector.broadcast(S, 1.0);
        DoubleVector halfPi = DoubleVector.broadcast(S, Math.PI / 2);
        DoubleVector pi = DoubleVector.broadcast(S, Math.PI);
        for (int j = 0; j < bound; j += S.length()) {
            int i = off + j;
            DoubleVector rho = DoubleVector.fromArray(S, sig, i).mul(DoubleVector.fromArray(S, fa, offA + j))
                .mul(DoubleVector.fromArray(S, fb, offB + j));
            DoubleVector x = rho.abs();
            x = x.blend(one, x.compare(VectorOperators.GT, FastMath.CORRELATION_ONE));
            VectorMask<Double> big = x.compare(VectorOperators.GT, 0.5);
            DoubleVector z = x.mul(x).blend(x.fma(-0.5, 0.5), big);
            DoubleVector s = z.lanewise(VectorOperators.SQRT);
            DoubleVector v = x.blend(s, big);
            // Horner's rule spelled out (see FastMath.ASIN0)
            DoubleVector a = DoubleVector.broadcast(S, FastMath.ASIN0);
            DoubleVector c = DoubleVector.broadcast(S, FastMath.SQRT0);
            a = a.fma(z, DoubleVector.broadcast(S, FastMath.ASIN1));
            c = c.fma(z, DoubleVector.broadcast(S, FastMath.SQRT1));
            a = a.fma(z, DoubleVector.broadcast(S, FastMath.ASIN2));
            c = c.fma(z, DoubleVector.broadcast(S, FastMath.SQRT2));
            a = a.fma(z, DoubleVector.broadcast(S, FastMath.ASIN3));
            c = c.fma(z, DoubleVector.broadcast(S, FastMath.SQRT3));
            a = a.fma(z, DoubleVector.broadcast(S, FastMath.ASIN4));
            c = c.fma(z, DoubleVector.broadcast(S, FastMath.SQRT4));
            a = a.fma(z, DoubleVector.broadcast(S, FastMath.ASIN5));
            c = c.fma(z, DoubleVector.broadcast(S, FastMath.SQRT5));
            a = a.fma(z, DoubleVector.broadcast(S, FastMath.ASIN6));
            c = c.fma(z, DoubleVector.broadcast(S, FastMath.SQRT6));
            a = a.fma(z, DoubleVector.broadcast(S, FastMath.ASIN7));
            c = c.fma(z, DoubleVector.broadcast(S, FastMath.SQRT7));
            a = a.fma(z, DoubleVector.broadcast(S, FastMath.ASIN8));
            c = c.fma(z, DoubleVector.broadcast(S, FastMath.SQRT8));
            a = a.fma(z, DoubleVector.broadcast(S, FastMath.ASIN9));
            c = c.fma(z, DoubleVector.broadcast(S, FastMath.SQRT9));
            a = a.fma(z, DoubleVector.broadcast(S, FastMath.ASIN10));
            c = c.fma(z, DoubleVector.broadcast(S, FastMath.SQRT10));
            a = a.fma(z, DoubleVector.broadcast(S, FastMath.ASIN11));
            c = c.fma(z, DoubleVector.broadcast(S, FastMath.SQRT11));
            a = a.fma(z, DoubleVector.broadcast(S, FastMath.ASIN12));
            c = c.fma(z, DoubleVector.broadcast(S, FastMath.SQRT12));
            DoubleVector asin = v.mul(z).fma(a, v);
            DoubleVector sin = c.blend(s.mul(2).mul(c), big);
            DoubleVector acos = halfPi.sub(asin).blend(asin.mul(2), big);
            DoubleVector j0 = pi.sub(acos).blend(acos, rho.compare(VectorOperators.LT, 0.0));
            DoubleVector.fromArray(S, fa, offA + plane + j).mul(DoubleVector.fromArray(S, fb, offB + plane + j))
                .mul(j0.fma(rho, sin)).intoArray(sigOut, outOff + j);
            if (th != null) {
                DoubleVector.fromArray(S, th, i).mul(j0.mul(ReluKernel.INV_2PI)).intoArray(thOut, outOff + j);
            }
        }
        return bound;
    }

    /** erf with variance factors ({@link ErfKernel#mapFactors}), in passes like {@link #reluFactors}. */
    static int erfFactors(double[] fa, int offA, double[] fb, int offB, double[] sig, double[] th, int off,
                          int len, double[] sBuf, double[] yBuf) {
        int bound = S.loopBound(len);
        for (int j = 0; j < bound; j += S.length()) {
            DoubleVector q12 = DoubleVector.fromArray(S, sig, off + j);
            DoubleVector d = DoubleVector.fromArray(S, fa, offA + j).mul(DoubleVector.fromArray(S, fb, offB + j))
                .sub(q12.mul(q12).mul(4));
            d.max(0.0).lanewise(VectorOperators.SQRT).intoArray(sBuf, off + j);
            q12.mul(2).intoArray(yBuf, off + j);
        }
        atan2Rows(yBuf, off, sBuf, off, yBuf, off, bound);
        for (int j = 0; j < bound; j += S.length()) {
            DoubleVector.fromArray(S, yBuf, off + j).mul(TWO_OVER_PI).intoArray(sig, off + j);
            if (th != null) {
                DoubleVector s = DoubleVector.fromArray(S, sBuf, off + j);
                DoubleVector.fromArray(S, th, off + j).mul(DoubleVector.broadcast(S, FOUR_OVER_PI).div(s))
                    .intoArray(th, off + j);
            }
        }
        return bound;
    }

    // ---------------------------------------------------------------- float32, the same passes in float lanes

    /** {@link FastMath#atan2(float, float)} lane by lane, like {@link #atan2Rows}. */
    static int atan2Rows(float[] y, int oy, float[] x, int ox, float[] out, int oo, int len) {
        int bound = F.loopBound(len);
        FloatVector zero = FloatVector.zero(F);
        FloatVector one = FloatVector.broadcast(F, 1f);
        FloatVector t1 = FloatVector.broadcast(F, FastMath.T1F);
        FloatVector t2 = FloatVector.broadcast(F, FastMath.T2F);
        FloatVector c1 = FloatVector.broadcast(F, FastMath.C1F);
        FloatVector a1 = FloatVector.broadcast(F, FastMath.A1F);
        FloatVector a2 = FloatVector.broadcast(F, FastMath.A2F);
        FloatVector halfPi = FloatVector.broadcast(F, FastMath.HALF_PI_F);
        FloatVector pi = FloatVector.broadcast(F, FastMath.PI_F);
        for (int j = 0; j < bound; j += F.length()) {
            FloatVector yv = FloatVector.fromArray(F, y, oy + j);
            FloatVector xv = FloatVector.fromArray(F, x, ox + j);
            FloatVector ax = xv.abs();
            FloatVector ay = yv.abs();
            FloatVector a = ax.min(ay);
            FloatVector b = ax.max(ay);
            VectorMask<Float> m1 = a.compare(VectorOperators.GT, b.mul(t1));
            VectorMask<Float> m2 = a.compare(VectorOperators.GT, b.mul(t2));
            FloatVector c = zero.blend(c1, m1).blend(one, m2);
            FloatVector ac = zero.blend(a1, m1).blend(a2, m2);
            FloatVector u = c.neg().fma(b, a).div(c.fma(a, b));
            FloatVector w = u.mul(u);
            FloatVector p = FloatVector.broadcast(F, FastMath.ATAN_F0);
            p = p.fma(w, FloatVector.broadcast(F, FastMath.ATAN_F1));
            p = p.fma(w, FloatVector.broadcast(F, FastMath.ATAN_F2));
            p = p.fma(w, FloatVector.broadcast(F, FastMath.ATAN_F3));
            p = p.fma(w, FloatVector.broadcast(F, FastMath.ATAN_F4));
            FloatVector r = ac.add(u.mul(w).fma(p, u));
            r = r.blend(zero, b.compare(VectorOperators.EQ, 0f));
            r = r.blend(halfPi.sub(r), ay.compare(VectorOperators.GT, ax));
            r = r.blend(pi.sub(r), xv.compare(VectorOperators.LT, 0f));
            r.blend(r.neg(), yv.compare(VectorOperators.LT, 0f)).intoArray(out, oo + j);
        }
        return bound;
    }

    /** {@link #reluFactors(double[], int, double[], int, int, double[], double[], int, int)} in float lanes. */
    static int reluFactors(float[] fa, int offA, float[] fb, int offB, int plane, float[] sig, float[] th, int off,
                           int len, float[] sigOut, float[] thOut, int outOff) {
        int bound = F.loopBound(len);
        FloatVector one = FloatVector.broadcast(F, 1f);
        FloatVector halfPi = FloatVector.broadcast(F, ReluKernel.HALF_PI_F);
        FloatVector pi = FloatVector.broadcast(F, FastMath.PI_F);
        for (int j = 0; j < bound; j += F.length()) {
            int i = off + j;
            FloatVector rho = FloatVector.fromArray(F, sig, i).mul(FloatVector.fromArray(F, fa, offA + j))
                .mul(FloatVector.fromArray(F, fb, offB + j));
            FloatVector x = rho.abs();
            x = x.blend(one, x.compare(VectorOperators.GT, FastMath.CORRELATION_ONE_F));
            VectorMask<Float> big = x.compare(VectorOperators.GT, 0.5f);
            FloatVector z = x.mul(x).blend(x.fma(-0.5f, 0.5f), big);
            FloatVector s = z.lanewise(VectorOperators.SQRT);
            FloatVector v = x.blend(s, big);
            FloatVector a = FloatVector.broadcast(F, FastMath.ASIN_F0);
            FloatVector c = FloatVector.broadcast(F, FastMath.SQRT_F0);
            a = a.fma(z, FloatVector.broadcast(F, FastMath.ASIN_F1));
            c = c.fma(z, FloatVector.broadcast(F, FastMath.SQRT_F1));
            a = a.fma(z, FloatVector.broadcast(F, FastMath.ASIN_F2));
            c = c.fma(z, FloatVector.broadcast(F, FastMath.SQRT_F2));
            a = a.fma(z, FloatVector.broadcast(F, FastMath.ASIN_F3));
            c = c.fma(z, FloatVector.broadcast(F, FastMath.SQRT_F3));
            a = a.fma(z, FloatVector.broadcast(F, FastMath.ASIN_F4));
            c = c.fma(z, FloatVector.broadcast(F, FastMath.SQRT_F4));
            a = a.fma(z, FloatVector.broadcast(F, FastMath.ASIN_F5));
            c = c.fma(z, FloatVector.broadcast(F, FastMath.SQRT_F5));
            FloatVector asin = v.mul(z).fma(a, v);
            FloatVector sin = c.blend(s.mul(2f).mul(c), big);
            FloatVector acos = halfPi.sub(asin).blend(asin.mul(2f), big);
            FloatVector j0 = pi.sub(acos).blend(acos, rho.compare(VectorOperators.LT, 0f));
            FloatVector.fromArray(F, fa, offA + plane + j).mul(FloatVector.fromArray(F, fb, offB + plane + j))
                .mul(j0.fma(rho, sin)).intoArray(sigOut, outOff + j);
            if (th != null) {
                FloatVector.fromArray(F, th, i).mul(j0.mul(ReluKernel.INV_2PI_F)).intoArray(thOut, outOff + j);
            }
        }
        return bound;
    }

    static int erfFactors(float[] fa, int offA, float[] fb, int offB, float[] sig, float[] th, int off, int len,
                          float[] sBuf, float[] yBuf) {
        int bound = F.loopBound(len);
        for (int j = 0; j < bound; j += F.length()) {
            FloatVector q12 = FloatVector.fromArray(F, sig, off + j);
            FloatVector d = FloatVector.fromArray(F, fa, offA + j).mul(FloatVector.fromArray(F, fb, offB + j))
                .sub(q12.mul(q12).mul(4f));
            d.max(0f).lanewise(VectorOperators.SQRT).intoArray(sBuf, off + j);
            q12.mul(2f).intoArray(yBuf, off + j);
        }
        atan2Rows(yBuf, off, sBuf, off, yBuf, off, bound);
        float twoOverPi = (float) TWO_OVER_PI;
        float fourOverPi = (float) FOUR_OVER_PI;
        for (int j = 0; j < bound; j += F.length()) {
            FloatVector.fromArray(F, yBuf, off + j).mul(twoOverPi).intoArray(sig, off + j);
            if (th != null) {
                FloatVector s = FloatVector.fromArray(F, sBuf, off + j);
                FloatVector.fromArray(F, th, off + j).mul(FloatVector.broadcast(F, fourOverPi).div(s))
                    .intoArray(th, off + j);
            }
        }
        return bound;
    }
}
