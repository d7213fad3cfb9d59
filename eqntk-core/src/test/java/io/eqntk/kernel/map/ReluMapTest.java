package io.eqntk.kernel.map;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ReLU's division-free map (one square root, two polynomials on [0, 1/4]) against StrictMath's arc cosine, at
 * unit variances so that the correlation is exactly the input: Θ's factor is (π - acos ρ)/(2π) and
 * Σ = (sqrt(1 - ρ²) + (π - acos ρ) ρ)/(2π).
 */
class ReluMapTest {
    private static final ReluKernel RELU = ReluKernel.INSTANCE;

    /** Correlations spread over [-1, 1], dense near ±1, ±1/2 (the branch point) and 0, with the ends themselves. */
    private static double[] correlations(int n, long seed) {
        Random r = new Random(seed);
        double[] rho = new double[n];
        double[] special = {1, -1, 0, 0.5, -0.5, Math.nextUp(0.5), Math.nextDown(-0.5), Math.nextDown(1.0),
            Math.nextUp(-1.0), 1 - 1e-9, -1 + 1e-9, 1e-300, -1e-300};
        for (int i = 0; i < n; i++) {
            if (i < special.length) {
                rho[i] = special[i];
                continue;
            }
            double sign = r.nextBoolean() ? 1 : -1;
            switch (i % 4) {
                case 0:
                    rho[i] = sign * r.nextDouble();
                    break;
                case 1:
                    rho[i] = sign * (1 - Math.pow(10, -16 * r.nextDouble()));
                    break;
                case 2:
                    rho[i] = sign * (0.5 + (r.nextDouble() - 0.5) * Math.pow(10, -10 * r.nextDouble()));
                    break;
                default:
                    rho[i] = sign * Math.pow(10, -20 * r.nextDouble());
            }
        }
        return rho;
    }

    /** Runs the map at unit variances: {Σ, Θ factor} per entry, vector (if enabled) or scalar. */
    private static double[][] map(double[] rho, boolean scalar) {
        int n = rho.length;
        double[] fa = new double[2 * n];
        Arrays.fill(fa, 0, n, RELU.varianceFactor(1, 0));
        Arrays.fill(fa, n, 2 * n, RELU.varianceFactor(1, 1));
        double[] sig = rho.clone();
        double[] th = new double[n];
        Arrays.fill(th, 1);
        if (scalar) {
            ReluMap.scalarFactors(fa, 0, fa, 0, n, sig, th, 0, n);
        } else {
            RELU.mapFactors(fa, 0, fa, 0, n, sig, th, 0, n, new double[n], new double[n]);
        }
        return new double[][] {sig, th};
    }

    /** Correlations within a few ulps of ±1 count as ±1 (see {@link Float64Constants#CORRELATION_ONE}). */
    private static double snapped(double rho, double one) {
        return Math.abs(rho) > one ? Math.signum(rho) : rho;
    }

    @Test
    void snapWindowIsOnlyRoundingWide() {
        // 8 ulps below 1 in double, 8 float ulps in float: θ = 0 there instead of at most 4.3e-8 (9.8e-4 in float)
        assertEquals(8, (1 - Float64Constants.CORRELATION_ONE) / Math.ulp(0.75), 0.0);
        assertEquals(8, (1 - Float32Constants.CORRELATION_ONE) / Math.ulp(0.75f), 0.0);
    }

    @Test
    void matchesStrictMathArcCosine() {
        double[] rho = correlations(400_000, 11);
        double[][] got = map(rho, false);
        double worstTheta = 0;
        double worstSigma = 0;
        for (int i = 0; i < rho.length; i++) {
            double x = snapped(rho[i], Float64Constants.CORRELATION_ONE);
            double j0 = Math.PI - StrictMath.acos(x);
            // 1 - x² as (1 - x)(1 + x): both factors exact or half an ulp off, so this is the accurate reference
            double sin = Math.sqrt((1 - x) * (1 + x));
            double wantTheta = j0 / (2 * Math.PI);
            double wantSigma = (sin + j0 * x) / (2 * Math.PI);
            worstTheta = Math.max(worstTheta, Math.abs(got[1][i] - wantTheta));
            worstSigma = Math.max(worstSigma, Math.abs(got[0][i] - wantSigma));
        }
        // values of size up to 1/2: a few units in the last place (ulp(0.5) = 1.1e-16)
        assertTrue(worstTheta <= 4e-16, "worst Θ factor error " + worstTheta);
        assertTrue(worstSigma <= 4e-16, "worst Σ error " + worstSigma);
    }

    @Test
    void vectorEqualsScalarBitForBit() {
        double[] rho = correlations(50_001, 12);
        double[][] vector = map(rho, false);
        double[][] scalar = map(rho, true);
        assertArrayEquals(scalar[0], vector[0]);
        assertArrayEquals(scalar[1], vector[1]);
    }

    @Test
    void floatMatchesStrictMathWithinFloatRounding() {
        double[] rho = correlations(100_000, 13);
        int n = rho.length;
        float[] fa = new float[2 * n];
        Arrays.fill(fa, 0, n, (float) RELU.varianceFactor(1, 0));
        Arrays.fill(fa, n, 2 * n, (float) RELU.varianceFactor(1, 1));
        float[] sig = new float[n];
        float[] th = new float[n];
        for (int i = 0; i < n; i++) {
            sig[i] = (float) rho[i];
            th[i] = 1;
        }
        float[] sigScalar = sig.clone();
        float[] thScalar = th.clone();
        RELU.mapFactors(fa, 0, fa, 0, n, sig, th, 0, n, new float[n], new float[n]);
        ReluMap32.scalarFactors(fa, 0, fa, 0, n, sigScalar, thScalar, 0, n);
        assertArrayEquals(sigScalar, sig);
        assertArrayEquals(thScalar, th);
        double worst = 0;
        for (int i = 0; i < n; i++) {
            double x = snapped((float) rho[i], Float32Constants.CORRELATION_ONE);
            double j0 = Math.PI - StrictMath.acos(x);
            double sin = Math.sqrt((1 - x) * (1 + x));
            worst = Math.max(worst, Math.abs(th[i] - j0 / (2 * Math.PI)));
            worst = Math.max(worst, Math.abs(sig[i] - (sin + j0 * x) / (2 * Math.PI)));
        }
        // a few float ulps of values up to 1/2 (ulp(0.5f) = 6e-8); near ρ = ±1 acos amplifies the input's rounding
        assertTrue(worst <= 5e-7, "worst float error " + worst);
    }

    /**
     * A self pair's diagonal has q12 = q11 = q22 exactly: θ must be exactly 0 (Σ = q/2, Θ halved), even when the
     * product of the rounded factors 1/sqrt(q) lands just below 1.
     */
    @Test
    void equalVariancesAndCovarianceGiveExactlyZeroAngle() {
        Random r = new Random(14);
        int n = 10_000;
        double[] fa = new double[2 * n];
        double[] sig = new double[n];
        double[] th = new double[n];
        int belowOne = 0;
        for (int i = 0; i < n; i++) {
            double q = Math.exp(6 * r.nextGaussian());
            fa[i] = RELU.varianceFactor(q, 0);
            fa[n + i] = RELU.varianceFactor(q, 1);
            sig[i] = q;
            th[i] = 1;
            if (q * fa[i] * fa[i] < 1) {
                belowOne++;
            }
        }
        double[] q = sig.clone();
        RELU.mapFactors(fa, 0, fa, 0, n, sig, th, 0, n, new double[n], new double[n]);
        assertTrue(belowOne > 100, "the case this test is about occurs: " + belowOne);
        for (int i = 0; i < n; i++) {
            assertEquals(0.5, th[i], 0.0, "Θ factor at q = " + q[i]);
            assertEquals(q[i] / 2, sig[i], 4e-16 * q[i], "Σ at q = " + q[i]);
        }
    }

    /** A position of zero variance: Σ = 0 and Θ's factor 1/4 (ReLU's derivative at 0 taken as 1/2). */
    @Test
    void zeroVarianceCountsAsUncorrelated() {
        double[] got = RELU.map(0.0, 2.0, 0.0);
        assertEquals(0.0, got[0], 0.0);
        assertEquals(0.25, got[1], 0.0);
    }

    /**
     * Maps of every length from 1 to 40 at odd offsets: short ones run as one padded vector, long ones with an
     * overlapping tail; each equals the scalar map bit for bit, and entries outside [off, off + len) stay as they were.
     */
    @Test
    void everyLengthEqualsScalarAndTouchesOnlyItsEntries() {
        Random r = new Random(15);
        int plane = 64;
        for (int len = 1; len <= 40; len++) {
            int offA = 3;
            int offB = 5;
            int off = 7;
            double[] fa = new double[2 * plane + 16];
            double[] fb = new double[2 * plane + 16];
            float[] faF = new float[fa.length];
            float[] fbF = new float[fb.length];
            double[] sig = new double[off + len + 20];
            double[] th = new double[sig.length];
            for (int j = 0; j < fa.length; j++) {
                // room past the data holds whatever an earlier slice left there
                fa[j] = r.nextDouble() * 3;
                fb[j] = r.nextDouble() * 3;
            }
            for (int j = 0; j < len; j++) {
                double a = Math.exp(r.nextGaussian());
                double b = Math.exp(r.nextGaussian());
                for (int k = 0; k < 2; k++) {
                    fa[k * plane + offA + j] = RELU.varianceFactor(a, k);
                    fb[k * plane + offB + j] = RELU.varianceFactor(b, k);
                }
            }
            for (int j = 0; j < sig.length; j++) {
                sig[j] = r.nextGaussian();
                th[j] = r.nextDouble();
            }
            for (int j = 0; j < fa.length; j++) {
                faF[j] = (float) fa[j];
                fbF[j] = (float) fb[j];
            }
            double[] s1 = sig.clone();
            double[] t1 = th.clone();
            double[] s2 = sig.clone();
            double[] t2 = th.clone();
            RELU.mapFactors(fa, offA, fb, offB, plane, s1, t1, off, len, new double[sig.length],
                new double[sig.length]);
            ReluMap.scalarFactors(fa, offA, fb, offB, plane, s2, t2, off, len);
            assertArrayEquals(s2, s1, "sigma, length " + len);
            assertArrayEquals(t2, t1, "theta, length " + len);
            float[] sigF = new float[sig.length];
            float[] thF = new float[sig.length];
            for (int j = 0; j < sig.length; j++) {
                sigF[j] = (float) sig[j];
                thF[j] = (float) th[j];
            }
            float[] s1F = sigF.clone();
            float[] t1F = thF.clone();
            float[] s2F = sigF.clone();
            float[] t2F = thF.clone();
            RELU.mapFactors(faF, offA, fbF, offB, plane, s1F, t1F, off, len, new float[sig.length],
                new float[sig.length]);
            ReluMap32.scalarFactors(faF, offA, fbF, offB, plane, s2F, t2F, off, len);
            assertArrayEquals(s2F, s1F, "float sigma, length " + len);
            assertArrayEquals(t2F, t1F, "float theta, length " + len);
        }
    }
}
