package io.eqntk.nonlin;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every nonlinearity's maps (closed form, or the default quadrature for tanh) against plain Monte-Carlo sampling of
 * the Gaussian pair: the sample means of φ(u)φ(v) and φ'(u)φ'(v) lie within 4 standard errors of the maps.
 */
class MonteCarloMapsTest {
    private static final int SAMPLES = 100_000;

    @Test
    void mapsAgreeWithSampledGaussianPairs() {
        checkAll(List.of(ReluActivation.INSTANCE, AbReluActivation.leaky(0.1),
            new AbReluActivation(-0.5, 2), ErfActivation.INSTANCE, GeluActivation.INSTANCE, TanhActivation.INSTANCE));
    }

    /** The closed forms and named fallbacks added with the layer zoo (issue 13), every family and parameter kind. */
    @Test
    void zooMapsAgreeWithSampledGaussianPairs() {
        checkAll(List.of(AbReluActivation.abs(), SinActivation.sin(0.3, 1, 1), SinActivation.cos(-0.4, 1.5, 0.7),
            SinActivation.rbf(0.6), new GaussianActivation(1, -0.5), new GaussianActivation(2, -1.3),
            new ExpActivation(1, 0.6), new ExpActivation(-0.5, -0.3), SignActivation.INSTANCE,
            new RectifiedMonomialActivation(0), new RectifiedMonomialActivation(1),
            new RectifiedMonomialActivation(2), new RectifiedMonomialActivation(3),
            PolynomialActivation.monomial(0), PolynomialActivation.monomial(1), PolynomialActivation.monomial(2),
            PolynomialActivation.monomial(3), PolynomialActivation.hermite(1), PolynomialActivation.hermite(2),
            PolynomialActivation.hermite(3), PolynomialActivation.hermite(4), FallbackActivation.sigmoid(),
            FallbackActivation.softplus(), FallbackActivation.silu(), FallbackActivation.elu(1),
            FallbackActivation.elu(0.5)));
    }

    private static void checkAll(List<Activation> all) {
        double[][] cases = {{1, 1, 0.6}, {2.5, 0.4, -0.8}, {0.2, 1.5, 0.1}};
        SplittableRandom random = new SplittableRandom(20261201);
        for (Activation a : all) {
            for (double[] c : cases) {
                double l11 = Math.sqrt(c[0]);
                double l21 = c[2] * Math.sqrt(c[1]);
                double l22 = Math.sqrt(c[1] * (1 - c[2] * c[2]));
                double[] s = new double[4];
                for (int k = 0; k < SAMPLES; k++) {
                    double z1 = gaussian(random);
                    double z2 = gaussian(random);
                    double u = l11 * z1;
                    double v = l21 * z1 + l22 * z2;
                    double p = a.phi(u) * a.phi(v);
                    double d = a.dphi(u) * a.dphi(v);
                    s[0] += p;
                    s[1] += p * p;
                    s[2] += d;
                    s[3] += d * d;
                }
                double q12 = c[2] * Math.sqrt(c[0] * c[1]);
                check(a, c, "Σ", s[0], s[1], a.sigma(c[0], c[1], q12));
                check(a, c, "Σ̇", s[2], s[3], a.sigmaDot(c[0], c[1], q12));
            }
        }
    }

    private static void check(Activation a, double[] c, String what, double sum, double sumSquares, double map) {
        double mean = sum / SAMPLES;
        double se = Math.sqrt(Math.max(sumSquares / SAMPLES - mean * mean, 0) / SAMPLES);
        assertTrue(Math.abs(mean - map) <= 4 * se, a.name() + " " + what + " at " + java.util.Arrays.toString(c)
            + ": map " + map + ", sample mean " + mean + " ± " + se);
    }

    /** A standard normal by Box-Muller (SplittableRandom has no nextGaussian under Java 17). */
    private static double gaussian(SplittableRandom r) {
        double u = 1 - r.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r.nextDouble());
    }
}
