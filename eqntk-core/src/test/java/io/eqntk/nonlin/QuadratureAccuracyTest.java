package io.eqntk.nonlin;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The accuracy stated for the default Gauss-Hermite order (GaussHermite2D.DEFAULT_ORDER, docs/NONLINEARITIES.md),
 * checked over a grid of variances and correlations: erf and GELU against their closed forms, ReLU against its
 * closed form (kink-limited), tanh against an order-320 rule. Errors are relative to the Cauchy-Schwarz scale
 * sqrt(E[F(u)^2] E[F(v)^2]) of the map (F = φ for Σ, φ' for Σ̇), since Σ itself passes through 0.
 * Prints the measured maxima.
 */
class QuadratureAccuracyTest {
    private static final double[] RHOS = {-1, -0.99, -0.5, 0, 0.3, 0.9, 0.99, 1};

    @Test
    void defaultOrderMeetsStatedAccuracy() {
        GaussHermite2D rule = GaussHermite2D.standard();
        double[] erf = maxErrors(rule, ErfActivation.INSTANCE, null, new double[]{0.01, 0.3, 1, 2});
        double[] gelu = maxErrors(rule, GeluActivation.INSTANCE, null, new double[]{0.01, 0.3, 1, 2});
        double[] relu = maxErrors(rule, ReluActivation.INSTANCE, null, new double[]{0.01, 0.3, 1, 2});
        GaussHermite2D reference = GaussHermite2D.ofOrder(320);
        double[] tanh1 = maxErrors(rule, TanhActivation.INSTANCE, reference, new double[]{0.1, 0.5, 1});
        double[] tanh2 = maxErrors(rule, TanhActivation.INSTANCE, reference, new double[]{0.1, 2});
        System.out.printf("Gauss-Hermite order %d, max normalised error (Σ / Σ̇): erf q<=2 %.1e / %.1e, "
                + "GELU q<=2 %.1e / %.1e, tanh q<=1 %.1e / %.1e, tanh q<=2 %.1e / %.1e, ReLU q<=2 %.1e / %.1e%n",
            rule.order(), erf[0], erf[1], gelu[0], gelu[1], tanh1[0], tanh1[1], tanh2[0], tanh2[1], relu[0], relu[1]);
        assertTrue(erf[0] <= 1e-10 && erf[1] <= 1e-10, "erf");
        assertTrue(gelu[0] <= 1e-10 && gelu[1] <= 1e-10, "GELU");
        assertTrue(tanh1[0] <= 1e-10 && tanh1[1] <= 1e-9, "tanh up to variance 1");
        assertTrue(tanh2[0] <= 1e-8 && tanh2[1] <= 3e-7, "tanh up to variance 2");
        assertTrue(relu[0] <= 5e-3 && relu[1] <= 5e-2, "ReLU");
    }

    /** Max normalised errors of Σ and Σ̇ over all pairs of the variances and RHOS; against the closed form if null. */
    private static double[] maxErrors(GaussHermite2D rule, Activation a, GaussHermite2D reference, double[] qs) {
        double[] max = new double[2];
        for (double q11 : qs) {
            for (double q22 : qs) {
                if (q22 < q11) {
                    continue; // exactly symmetric (tested elsewhere)
                }
                for (double rho : RHOS) {
                    double q12 = rho * Math.sqrt(q11 * q22);
                    double s = reference == null ? a.sigma(q11, q22, q12) : reference.phiPhi(a, q11, q22, q12);
                    double d = reference == null ? a.sigmaDot(q11, q22, q12) : reference.dphiDphi(a, q11, q22, q12);
                    GaussHermite2D r = reference == null ? rule : reference;
                    double scale = Math.sqrt(r.phiSquare(a, q11) * r.phiSquare(a, q22));
                    double dotScale = Math.sqrt(r.dphiSquare(a, q11) * r.dphiSquare(a, q22));
                    max[0] = Math.max(max[0], Math.abs(rule.phiPhi(a, q11, q22, q12) - s) / scale);
                    max[1] = Math.max(max[1], Math.abs(rule.dphiDphi(a, q11, q22, q12) - d) / dotScale);
                }
            }
        }
        return max;
    }
}
