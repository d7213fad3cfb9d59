// float32 twin: VectorNonlinearities32, generated from this file by eqntk-core/src/build/PrecisionTwins.java
package io.eqntk.kernel.map;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vectorised ReLU and erf kernel maps over variance-factor arrays. atan2 is
 * {@link FastMath#atan2} lane by lane (the same IEEE-exact operations in the same order), and SQRT is correctly
 * rounded, so these maps equal the scalar ones bit for bit, before and after JIT compilation alike. Each map is a
 * few short array passes, so no vector crosses a method call the JIT might decline to inline. Only loaded when
 * {@link VectorSupport#ENABLED}.
 */
public final class VectorNonlinearities {
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    private static final double TWO_OVER_PI = (double) (2 / Math.PI);
    private static final double FOUR_OVER_PI = (double) (4 / Math.PI);

    private VectorNonlinearities() {
    }

    /**
     * out[oo + j] = atan2(y[oy + j], x[ox + j]) ({@link FastMath#atan2}) for j in [0, len): returns the entries done.
     * The loop holds the whole function, so no vector crosses a call the JIT might decline to inline.
     */
    public static int atan2Rows(double[] y, int oy, double[] x, int ox, double[] out, int oo, int len) {
        int bound = S.loopBound(len);
        DoubleVector zero = DoubleVector.zero(S);
        DoubleVector one = DoubleVector.broadcast(S, 1.0);
        DoubleVector t1 = DoubleVector.broadcast(S, FastMath.T1);
        DoubleVector t2 = DoubleVector.broadcast(S, FastMath.T2);
        DoubleVector c1 = DoubleVector.broadcast(S, FastMath.C1);
        DoubleVector a1 = DoubleVector.broadcast(S, FastMath.A1);
        DoubleVector a2 = DoubleVector.broadcast(S, FastMath.A2);
        DoubleVector halfPi = DoubleVector.broadcast(S, FastMath.HALF_PI);
        DoubleVector pi = DoubleVector.broadcast(S, FastMath.PI);
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
            // Horner's rule spelled out (see Float64Constants; the float32 twin keeps the terms its table has)
            DoubleVector p = DoubleVector.broadcast(S, Float64Constants.ATAN0);
            p = p.fma(w, DoubleVector.broadcast(S, Float64Constants.ATAN1));
            p = p.fma(w, DoubleVector.broadcast(S, Float64Constants.ATAN2));
            p = p.fma(w, DoubleVector.broadcast(S, Float64Constants.ATAN3));
            p = p.fma(w, DoubleVector.broadcast(S, Float64Constants.ATAN4));
            p = p.fma(w, DoubleVector.broadcast(S, Float64Constants.ATAN5));
            p = p.fma(w, DoubleVector.broadcast(S, Float64Constants.ATAN6));
            p = p.fma(w, DoubleVector.broadcast(S, Float64Constants.ATAN7));
            p = p.fma(w, DoubleVector.broadcast(S, Float64Constants.ATAN8));
            p = p.fma(w, DoubleVector.broadcast(S, Float64Constants.ATAN9));
            p = p.fma(w, DoubleVector.broadcast(S, Float64Constants.ATAN10));
            p = p.fma(w, DoubleVector.broadcast(S, Float64Constants.ATAN11));
            DoubleVector r = ac.add(u.mul(w).fma(p, u));
            r = r.blend(zero, b.compare(VectorOperators.EQ, 0.0));
            r = r.blend(halfPi.sub(r), ay.compare(VectorOperators.GT, ax));
            r = r.blend(pi.sub(r), xv.compare(VectorOperators.LT, 0.0));
            r.blend(r.neg(), yv.compare(VectorOperators.LT, 0.0)).intoArray(out, oo + j);
        }
        return bound;
    }

    /** Entries per vector. */
    static final int LANES = S.length();

    /**
     * ReLU with factor planes ({@link ReluMap#mapFactors}) in one pass: the operations of
     * {@code ReluMap.entry} lane by lane, reading entry j at off + j and writing it to outOff + j of the
     * output arrays (the inputs themselves for a map in place). Returns the entries done.
     */
    static int reluFactors(double[] fa, int offA, double[] fb, int offB, int plane, double[] sig, double[] th,
                           int off, int len, double[] sigOut, double[] thOut, int outOff) {
        int bound = S.loopBound(len);
        DoubleVector one = DoubleVector.broadcast(S, 1.0);
        DoubleVector halfPi = DoubleVector.broadcast(S, FastMath.HALF_PI);
        DoubleVector pi = DoubleVector.broadcast(S, FastMath.PI);
        for (int j = 0; j < bound; j += S.length()) {
            int i = off + j;
            DoubleVector rho = DoubleVector.fromArray(S, sig, i).mul(DoubleVector.fromArray(S, fa, offA + j))
                .mul(DoubleVector.fromArray(S, fb, offB + j));
            DoubleVector x = rho.abs();
            x = x.blend(one, x.compare(VectorOperators.GT, Float64Constants.CORRELATION_ONE));
            VectorMask<Double> big = x.compare(VectorOperators.GT, 0.5);
            DoubleVector z = x.mul(x).blend(x.fma(-0.5, 0.5), big);
            // 2 sqrt z where big: the asin below is then already 2 asin sqrt z = acos x there (scaling by 2 is
            // exact, so these are the bits of doubling afterwards), one multiplication fewer
            DoubleVector s2 = z.lanewise(VectorOperators.SQRT).mul(2);
            DoubleVector v = x.blend(s2, big);
            // Horner's rule spelled out, as in atan2Rows
            DoubleVector a = DoubleVector.broadcast(S, Float64Constants.ASIN0);
            DoubleVector c = DoubleVector.broadcast(S, Float64Constants.SQRT0);
            a = a.fma(z, DoubleVector.broadcast(S, Float64Constants.ASIN1));
            c = c.fma(z, DoubleVector.broadcast(S, Float64Constants.SQRT1));
            a = a.fma(z, DoubleVector.broadcast(S, Float64Constants.ASIN2));
            c = c.fma(z, DoubleVector.broadcast(S, Float64Constants.SQRT2));
            a = a.fma(z, DoubleVector.broadcast(S, Float64Constants.ASIN3));
            c = c.fma(z, DoubleVector.broadcast(S, Float64Constants.SQRT3));
            a = a.fma(z, DoubleVector.broadcast(S, Float64Constants.ASIN4));
            c = c.fma(z, DoubleVector.broadcast(S, Float64Constants.SQRT4));
            a = a.fma(z, DoubleVector.broadcast(S, Float64Constants.ASIN5));
            c = c.fma(z, DoubleVector.broadcast(S, Float64Constants.SQRT5));
            a = a.fma(z, DoubleVector.broadcast(S, Float64Constants.ASIN6));
            c = c.fma(z, DoubleVector.broadcast(S, Float64Constants.SQRT6));
            a = a.fma(z, DoubleVector.broadcast(S, Float64Constants.ASIN7));
            c = c.fma(z, DoubleVector.broadcast(S, Float64Constants.SQRT7));
            a = a.fma(z, DoubleVector.broadcast(S, Float64Constants.ASIN8));
            c = c.fma(z, DoubleVector.broadcast(S, Float64Constants.SQRT8));
            a = a.fma(z, DoubleVector.broadcast(S, Float64Constants.ASIN9));
            c = c.fma(z, DoubleVector.broadcast(S, Float64Constants.SQRT9));
            a = a.fma(z, DoubleVector.broadcast(S, Float64Constants.ASIN10));
            c = c.fma(z, DoubleVector.broadcast(S, Float64Constants.SQRT10));
            a = a.fma(z, DoubleVector.broadcast(S, Float64Constants.ASIN11));
            c = c.fma(z, DoubleVector.broadcast(S, Float64Constants.SQRT11));
            a = a.fma(z, DoubleVector.broadcast(S, Float64Constants.ASIN12));
            c = c.fma(z, DoubleVector.broadcast(S, Float64Constants.SQRT12));
            DoubleVector asin = v.mul(z).fma(a, v);
            DoubleVector sin = c.blend(s2.mul(c), big);
            DoubleVector acos = halfPi.sub(asin).blend(asin, big);
            DoubleVector j0 = pi.sub(acos).blend(acos, rho.compare(VectorOperators.LT, 0.0));
            DoubleVector.fromArray(S, fa, offA + plane + j).mul(DoubleVector.fromArray(S, fb, offB + plane + j))
                .mul(j0.fma(rho, sin)).intoArray(sigOut, outOff + j);
            if (th != null) {
                DoubleVector.fromArray(S, th, i).mul(j0.mul(ReluMap.INV_2PI)).intoArray(thOut, outOff + j);
            }
        }
        return bound;
    }

    /** erf with variance factors ({@link ErfMap#mapFactors}), in passes like {@link #reluFactors}. */
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
}
