package io.eqntk.nonlin;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The closed-form expectation maps against independent computations: high-order Gauss-Hermite for the smooth
 * ones (erf, GELU), the polar reference for the positively homogeneous ReLU family, limits, symmetry, and the
 * ABReLU special cases.
 */
class ClosedFormMapsTest {
    /** Covariances (q11, q22, ρ) covering small, unit and large variances, both signs and |ρ| = 1. */
    static final double[][] CASES = {
        {1, 1, 0.5}, {2, 0.5, -0.7}, {0.3, 3, 0.9}, {1, 1, 0}, {0.8, 1.3, 0.999}, {1, 1, 1}, {2, 0.5, -1},
        {4, 4, 0.975}, {4, 2, 0.3}, {0.01, 0.02, 0.5}, {0.05, 4, -0.4}, {1.7, 0.6, -0.95}};
    private static final GaussHermite2D REFERENCE = GaussHermite2D.ofOrder(256);
    private static final List<Activation> HOMOGENEOUS = List.of(ReluActivation.INSTANCE, AbReluActivation.leaky(0.1),
        new AbReluActivation(-0.5, 2), new AbReluActivation(-1, 1), new AbReluActivation(0.3, -0.8));

    static double q12(double[] c) {
        return c[2] * Math.sqrt(c[0] * c[1]);
    }

    /**
     * erf and GELU against order-256 Gauss-Hermite (itself converged to 1e-13 at these variances, see
     * docs/NONLINEARITIES.md): within 1e-10 of the Cauchy-Schwarz scale sqrt(E[φ(u)^2] E[φ(v)^2]).
     */
    @Test
    void smoothClosedFormsMatchQuadrature() {
        for (Activation a : List.of(ErfActivation.INSTANCE, GeluActivation.INSTANCE)) {
            for (double[] c : CASES) {
                double q12 = q12(c);
                double scale = Math.sqrt(REFERENCE.phiSquare(a, c[0]) * REFERENCE.phiSquare(a, c[1]));
                double dotScale = Math.sqrt(REFERENCE.dphiSquare(a, c[0]) * REFERENCE.dphiSquare(a, c[1]));
                String at = a.name() + " at " + java.util.Arrays.toString(c);
                assertEquals(REFERENCE.phiPhi(a, c[0], c[1], q12), a.sigma(c[0], c[1], q12), 1e-10 * scale, at);
                assertEquals(REFERENCE.dphiDphi(a, c[0], c[1], q12), a.sigmaDot(c[0], c[1], q12), 1e-10 * dotScale,
                    at);
            }
        }
    }

    /**
     * The default quadrature (the kink-aware polar rule) reproduces every closed form, kinked or smooth: to 1e-13 for
     * the ReLU family, 1e-10 for erf and GELU (normalised as above).
     */
    @Test
    void defaultQuadratureMatchesEveryClosedForm() {
        PolarQuadrature2D rule = PolarQuadrature2D.standard();
        for (Activation a : List.of(ReluActivation.INSTANCE, AbReluActivation.leaky(0.1), new AbReluActivation(-1, 1),
            ErfActivation.INSTANCE, GeluActivation.INSTANCE)) {
            double tol = a instanceof ErfActivation || a instanceof GeluActivation ? 1e-10 : 1e-13;
            for (double[] c : CASES) {
                double q12 = q12(c);
                double scale = Math.sqrt(a.sigmaDiag(c[0]) * a.sigmaDiag(c[1]));
                double dotScale = Math.sqrt(a.sigmaDotDiag(c[0]) * a.sigmaDotDiag(c[1]));
                String at = a.name() + " at " + java.util.Arrays.toString(c);
                assertEquals(a.sigma(c[0], c[1], q12), rule.phiPhi(a, c[0], c[1], q12), tol * scale, at);
                if (Math.abs(c[2]) < 1) {
                    assertEquals(a.sigmaDot(c[0], c[1], q12), rule.dphiDphi(a, c[0], c[1], q12), tol * dotScale, at);
                }
            }
        }
    }

    /** The ReLU family against the polar reference (exact for a kink at 0) to 1e-13. */
    @Test
    void homogeneousClosedFormsMatchPolarReference() {
        for (Activation a : HOMOGENEOUS) {
            for (double[] c : CASES) {
                double q12 = q12(c);
                double scale = Math.sqrt(a.sigmaDiag(c[0]) * a.sigmaDiag(c[1]));
                String at = a.name() + " at " + java.util.Arrays.toString(c);
                assertEquals(PolarReference.expect(a, false, c[0], c[1], q12), a.sigma(c[0], c[1], q12),
                    1e-13 * scale, at);
                if (Math.abs(c[2]) < 1) {
                    // at |ρ| = 1 the kinks coincide and φ'(0) decides a measure-zero set the polar cut sits on
                    assertEquals(PolarReference.expect(a, true, c[0], c[1], q12), a.sigmaDot(c[0], c[1], q12), 1e-13,
                        at);
                }
            }
        }
    }

    /** The arc-cosine closed forms at |ρ| = 1 by hand: Σ̇ = (a^2 + b^2)/2 at ρ = 1 and ab at ρ = -1. */
    @Test
    void homogeneousDerivativeMapAtFullCorrelation() {
        AbReluActivation r = new AbReluActivation(-0.5, 2);
        assertEquals(0.5 * (0.25 + 4), r.sigmaDot(2, 0.5, 1), 1e-15);
        assertEquals(-0.5 * 2, r.sigmaDot(2, 0.5, -1), 1e-15);
        assertEquals(0.5, ReluActivation.INSTANCE.sigmaDot(3, 3, 3), 0);
        assertEquals(0, ReluActivation.INSTANCE.sigmaDot(3, 3, -3), 1e-17);
    }

    /**
     * q12 = 0: the pair is independent, so Σ = E[φ(u)] E[φ(v)] and Σ̇ = E[φ'(u)] E[φ'(v)], with the 1-D means by
     * quadrature (smooth) or by hand (ReLU family: E[φ(u)] = (b - a) sqrt(q / 2π), E[φ'(u)] = (a + b) / 2).
     */
    @Test
    void independentLimit() {
        GaussHermite2D rule = GaussHermite2D.ofOrder(256);
        double[][] variances = {{1, 1}, {0.3, 2.5}, {4, 0.01}};
        for (double[] v : variances) {
            for (Activation a : List.of(ErfActivation.INSTANCE, GeluActivation.INSTANCE)) {
                double m1 = rule.expect(a::phi, v[0]);
                double m2 = rule.expect(a::phi, v[1]);
                double d1 = rule.expect(a::dphi, v[0]);
                double d2 = rule.expect(a::dphi, v[1]);
                assertEquals(m1 * m2, a.sigma(v[0], v[1], 0), 1e-12, a.name());
                assertEquals(d1 * d2, a.sigmaDot(v[0], v[1], 0), 1e-12, a.name());
            }
            for (Activation h : HOMOGENEOUS) {
                AbReluActivation a = h instanceof AbReluActivation r ? r : new AbReluActivation(0, 1);
                double k = a.positiveSlope() - a.negativeSlope();
                double mean = 0.5 * (a.negativeSlope() + a.positiveSlope());
                assertEquals(k * k * Math.sqrt(v[0] * v[1]) / (2 * Math.PI), h.sigma(v[0], v[1], 0), 1e-15, h.name());
                assertEquals(mean * mean, h.sigmaDot(v[0], v[1], 0), 1e-15, h.name());
            }
        }
    }

    /**
     * q12 = sqrt(q11 q22): v = sqrt(q22 / q11) u. With q11 = q22 this is E[φ(u)^2] (the diagonal maps); otherwise
     * the exact one-dimensional sum of the singular covariance (smooth) or c E[φ(u)^2] (homogeneous,
     * c = sqrt(q22/q11)).
     */
    @Test
    void fullCorrelationLimit() {
        GaussHermite2D rule = GaussHermite2D.ofOrder(256);
        List<Activation> all = List.of(ReluActivation.INSTANCE, ErfActivation.INSTANCE, GeluActivation.INSTANCE,
            AbReluActivation.leaky(0.2), new AbReluActivation(-1, 0.5));
        for (double q : new double[]{0.01, 0.5, 1, 3, 9}) {
            for (Activation a : all) {
                assertEquals(a.sigmaDiag(q), a.sigma(q, q, q), 1e-15 * (1 + a.sigmaDiag(q)), a.name());
                assertEquals(a.sigmaDotDiag(q), a.sigmaDot(q, q, q), 1e-14, a.name());
                if (q > 1) {
                    continue; // variance 2.5 q beyond what order-256 quadrature resolves to 1e-12 for erf
                }
                double c = Math.sqrt(2.5);
                double q12 = Math.sqrt(q * 2.5 * q);
                double expected = a instanceof ErfActivation || a instanceof GeluActivation
                    ? rule.expect(u -> a.phi(u) * a.phi(c * u), q) : c * a.sigmaDiag(q);
                assertEquals(expected, a.sigma(q, 2.5 * q, q12), 1e-12 * (1 + Math.abs(expected)), a.name());
            }
        }
    }

    /** Symmetric in (q11, q22), bit for bit, and expectations() equals the separate maps bit for bit. */
    @Test
    void symmetricAndConsistent() {
        List<Activation> all = List.of(ReluActivation.INSTANCE, ErfActivation.INSTANCE, GeluActivation.INSTANCE,
            AbReluActivation.leaky(0.1), new AbReluActivation(-0.5, 2));
        double[] out = new double[3];
        for (Activation a : all) {
            assertTrue(a.closedForm());
            for (double[] c : CASES) {
                double q12 = q12(c);
                assertEquals(a.sigma(c[0], c[1], q12), a.sigma(c[1], c[0], q12), 0, a.name());
                assertEquals(a.sigmaDot(c[0], c[1], q12), a.sigmaDot(c[1], c[0], q12), 0, a.name());
                a.expectations(c[0], c[1], q12, out, 1);
                assertEquals(a.sigma(c[0], c[1], q12), out[1], 0, a.name());
                assertEquals(a.sigmaDot(c[0], c[1], q12), out[2], 0, a.name());
            }
        }
    }

    /** ABReLU(0, 1) is ReLU; ABReLU(1, 1) is the identity (Σ = q12, Σ̇ = 1 exactly); LeakyReLU(α) = ABReLU(α, 1). */
    @Test
    void abReluSpecialCases() {
        AbReluActivation relu = new AbReluActivation(0, 1);
        AbReluActivation linear = new AbReluActivation(1, 1);
        for (double[] c : CASES) {
            double q12 = q12(c);
            double s = ReluActivation.INSTANCE.sigma(c[0], c[1], q12);
            assertEquals(s, relu.sigma(c[0], c[1], q12), 1e-15 * Math.sqrt(c[0] * c[1]));
            assertEquals(ReluActivation.INSTANCE.sigmaDot(c[0], c[1], q12), relu.sigmaDot(c[0], c[1], q12), 1e-16);
            assertEquals(q12, linear.sigma(c[0], c[1], q12), 0);
            assertEquals(1, linear.sigmaDot(c[0], c[1], q12), 0);
        }
        assertEquals(new AbReluActivation(0.1, 1), AbReluActivation.leaky(0.1));
        assertEquals("leakyrelu(0.1)", AbReluActivation.leaky(0.1).name());
        assertEquals("abrelu(-0.5, 2.0)", new AbReluActivation(-0.5, 2).name());
        for (double x : new double[]{-2, -0.5, 0, 0.5, 3}) {
            assertEquals(x > 0 ? 2 * x : -0.5 * x, new AbReluActivation(-0.5, 2).phi(x), 0);
            assertEquals(relu.phi(x), ReluActivation.INSTANCE.phi(x), 0);
            assertEquals(relu.dphi(x), ReluActivation.INSTANCE.dphi(x), 0);
        }
    }

    /** Zero variances: every closed form stays finite, and Σ agrees with the quadrature's f(0) E[f(v)]. */
    @Test
    void zeroVariances() {
        GaussHermite2D rule = GaussHermite2D.ofOrder(128);
        List<Activation> all = List.of(ReluActivation.INSTANCE, ErfActivation.INSTANCE, GeluActivation.INSTANCE,
            AbReluActivation.leaky(0.1));
        for (Activation a : all) {
            for (double[] c : new double[][]{{0, 2}, {1.5, 0}, {0, 0}}) {
                assertEquals(rule.phiPhi(a, c[0], c[1], 0), a.sigma(c[0], c[1], 0), 1e-15, a.name());
                assertTrue(Double.isFinite(a.sigmaDot(c[0], c[1], 0)), a.name());
            }
        }
        // smooth φ: Σ̇ = φ'(0) E[φ'(v)]
        assertEquals(rule.dphiDphi(ErfActivation.INSTANCE, 0, 2, 0), ErfActivation.INSTANCE.sigmaDot(0, 2, 0), 1e-15);
        assertEquals(rule.dphiDphi(GeluActivation.INSTANCE, 0, 2, 0), GeluActivation.INSTANCE.sigmaDot(0, 2, 0),
            1e-15);
    }
}
