package io.eqntk.kernel.map;

import io.eqntk.nonlin.Activation;
import io.eqntk.nonlin.FallbackActivation;
import io.eqntk.nonlin.PolarQuadrature2D;
import io.eqntk.nonlin.TanhActivation;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The series map of the activations without a closed form (Mehler's expansion, quadrature where its bound is
 * loose) against the order-64 x 64 polar rule, over variances up to 4 and correlations up to |ρ| = 1: within
 * 1e-11 of the Cauchy-Schwarz scale (tanh: 1e-9, its quadrature's stated accuracy, where it falls back). Also reports (never fails on) its speed against the default quadrature per
 * entry and the share of entries the series answers.
 */
class SeriesMapTest {
    private static final double[] QS = {0, 0.3, 1, 2.5, 4};
    private static final double[] RHOS = {-1, -0.999, -0.5, 0.3, 0.9, 0.99, 0.999, 1};
    private static final List<Activation> FALLBACKS = List.of(TanhActivation.INSTANCE, FallbackActivation.sigmoid(),
        FallbackActivation.softplus(), FallbackActivation.silu(), FallbackActivation.elu(1));

    @Test
    void seriesMatchesHighOrderQuadrature() {
        PolarQuadrature2D reference = PolarQuadrature2D.ofOrders(64, 64);
        StringBuilder report = new StringBuilder("series map vs polar 64x64, max normalised error (Σ / Σ̇):");
        for (Activation a : FALLBACKS) {
            Nonlinearity map = EntryMaps.of(a);
            assertTrue(map instanceof SeriesMap, a.name());
            double[] max = new double[2];
            for (double q11 : QS) {
                for (double q22 : QS) {
                    for (double rho : RHOS) {
                        double q12 = rho * Math.sqrt(q11 * q22);
                        double[] got = map.map(q11, q22, q12);
                        double scale = Math.sqrt(reference.phiSquare(a, q11) * reference.phiSquare(a, q22));
                        double dotScale = Math.sqrt(reference.dphiSquare(a, q11) * reference.dphiSquare(a, q22));
                        double s = reference.phiPhi(a, q11, q22, q12);
                        double d = reference.dphiDphi(a, q11, q22, q12);
                        max[0] = Math.max(max[0], Math.abs(got[0] - s) / Math.max(scale, 1e-300));
                        max[1] = Math.max(max[1], Math.abs(got[1] - d) / Math.max(dotScale, 1e-300));
                    }
                }
            }
            report.append(String.format(" %s %.1e / %.1e;", a.name(), max[0], max[1]));
            // tanh's entries near |ρ| = 1 fall back to the default quadrature, whose stated accuracy is 1e-10 / 1e-9
            double tol = a == TanhActivation.INSTANCE ? 1e-9 : 1e-11;
            assertTrue(max[0] <= tol && max[1] <= tol, a.name() + " " + max[0] + " / " + max[1]);
        }
        System.out.println(report);
    }

    /** Per-entry cost on covariances like a network's (variances 0.2..3, correlations 0..0.999); reports only. */
    @Test
    void reportSpeedAgainstQuadrature() {
        int n = 120;
        double[][] cov = new double[n][3];
        SplittableRandom r = new SplittableRandom(7);
        for (double[] c : cov) {
            c[0] = 0.2 + 2.8 * r.nextDouble();
            c[1] = 0.2 + 2.8 * r.nextDouble();
            c[2] = (1 - Math.pow(r.nextDouble(), 3) * 0.999 - 0.001) * Math.sqrt(c[0] * c[1]);
        }
        StringBuilder report = new StringBuilder("per-entry cost, quadrature -> series (share answered by the series):");
        for (Activation a : FALLBACKS) {
            Nonlinearity map = EntryMaps.of(a);
            double[] e = new double[2];
            double sink = 0;
            for (int rep = 0; rep < 2; rep++) { // alternate, second round timed
                long t0 = System.nanoTime();
                for (double[] c : cov) {
                    a.expectations(c[0], c[1], c[2], e, 0);
                    sink += e[0];
                }
                long t1 = System.nanoTime();
                int answered = 0;
                for (int i = 0; i < 2; i++) {
                    for (double[] c : cov) {
                        sink += map.map(c[0], c[1], c[2])[0];
                    }
                }
                long t2 = System.nanoTime();
                if (rep == 1) {
                    double[] f1 = new double[io.eqntk.nonlin.HermiteSeries.length()];
                    for (double[] c : cov) {
                        double[] fa = new io.eqntk.nonlin.HermiteSeries(a).coefficients(c[0]);
                        double[] fb = new io.eqntk.nonlin.HermiteSeries(a).coefficients(c[1]);
                        answered += io.eqntk.nonlin.HermiteSeries.expectations(fa, 0, fb, 0, 1, c[2], f1) ? 1 : 0;
                    }
                    long t3 = System.nanoTime();
                    for (int i = 0; i < 20; i++) {
                        sink += new io.eqntk.nonlin.HermiteSeries(a).coefficients(0.5 + i * 0.1)[6];
                    }
                    long t4 = System.nanoTime();
                    report.append(String.format(" %s %.0f us -> %.2f us (%d%%; coefficients %.0f us per variance);",
                        a.name(), (t1 - t0) / 1e3 / n, (t2 - t1) / 1e3 / (2.0 * n), 100 * answered / n,
                        (t4 - t3) / 1e3 / 20));
                }
            }
            assertTrue(Double.isFinite(sink));
        }
        System.out.println(report);
    }
}
