package io.eqntk.nonlin;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The closed forms added with the layer zoo against hand-derived cases: Cho and Saul's arc-cosine kernels J_0..J_2,
 * LeakyReLU as a mix of ReLU and the identity, Isserlis moments of monomials, Hermite orthogonality at unit
 * variance, the sine product formulas, factorisation at zero correlation; and Price's theorem dΣ/dq12 = Σ̇ for
 * every smooth one (a central difference), which ties each Σ̇ to its Σ independently of the derivation.
 */
class ZooClosedFormsTest {
    private static final double[][] CASES = ClosedFormMapsTest.CASES;

    private static double q12(double[] c) {
        return ClosedFormMapsTest.q12(c);
    }

    @Test
    void rectifiedMonomialsAreChoAndSaulsArcCosineKernels() {
        for (double[] c : CASES) {
            double q12 = q12(c);
            double root = Math.sqrt(c[0] * c[1]);
            double theta = Math.acos(Math.max(-1, Math.min(1, c[2])));
            double sin = Math.sin(theta);
            double cos = Math.cos(theta);
            double[] j = {Math.PI - theta, sin + (Math.PI - theta) * cos,
                3 * sin * cos + (Math.PI - theta) * (1 + 2 * cos * cos)};
            for (int k = 0; k <= 2; k++) {
                RectifiedMonomialActivation a = new RectifiedMonomialActivation(k);
                double expected = Math.pow(root, k) * j[k] / (2 * Math.PI);
                assertEquals(expected, a.sigma(c[0], c[1], q12), 1e-14 * Math.pow(root, k), "k=" + k);
                if (k > 0) {
                    assertEquals(k * k * Math.pow(root, k - 1) * j[k - 1] / (2 * Math.PI), a.sigmaDot(c[0], c[1], q12),
                        1e-14 * Math.pow(root, k - 1), "Σ̇ k=" + k);
                }
            }
            RectifiedMonomialActivation one = new RectifiedMonomialActivation(1);
            assertEquals(ReluActivation.INSTANCE.sigma(c[0], c[1], q12), one.sigma(c[0], c[1], q12), 1e-15 * root);
            assertEquals(ReluActivation.INSTANCE.sigmaDot(c[0], c[1], q12), one.sigmaDot(c[0], c[1], q12), 1e-15);
        }
        // full correlation: E[relu(z)^(2k)] q^k = (2k - 1)!! q^k / 2
        double[] doubleFactorial = {1, 1, 3, 15, 105, 945};
        for (int k = 0; k <= 5; k++) {
            assertEquals(doubleFactorial[k] * Math.pow(1.7, k) / 2,
                new RectifiedMonomialActivation(k).sigma(1.7, 1.7, 1.7), 1e-13 * doubleFactorial[k] * Math.pow(1.7, k));
        }
        assertEquals(0, new RectifiedMonomialActivation(0).sigmaDot(1, 1, 0.5), 0);
        assertEquals(0, new RectifiedMonomialActivation(0).sigma(0, 1, 0), 0);
    }

    @Test
    void leakyReluIsAMixOfReluAndTheIdentity() {
        for (double alpha : new double[] {0.1, 0.3, -0.2}) {
            AbReluActivation leaky = AbReluActivation.leaky(alpha);
            for (double[] c : CASES) {
                double q12 = q12(c);
                // φ = α x + (1 - α) relu(x) and E[u relu(v)] = q12 / 2, E[1{v > 0}] = 1/2
                double sigma = alpha * q12 + (1 - alpha) * (1 - alpha) * ReluActivation.INSTANCE.sigma(c[0], c[1], q12);
                double dot = alpha + (1 - alpha) * (1 - alpha) * ReluActivation.INSTANCE.sigmaDot(c[0], c[1], q12);
                assertEquals(sigma, leaky.sigma(c[0], c[1], q12), 1e-14 * Math.sqrt(c[0] * c[1]));
                assertEquals(dot, leaky.sigmaDot(c[0], c[1], q12), 1e-14);
            }
        }
        assertEquals(AbReluActivation.abs(), new AbReluActivation(-1, 1));
        assertEquals("abs", AbReluActivation.abs().name());
    }

    @Test
    void polynomialsByHand() {
        for (double[] c : CASES) {
            double q12 = q12(c);
            double scale = Math.pow(Math.max(c[0], c[1]), 3);
            // Isserlis: E[u^2 v^2] = q11 q22 + 2 q12^2, E[u^3 v^3] = 9 q11 q22 q12 + 6 q12^3
            assertEquals(c[0] * c[1] + 2 * q12 * q12, PolynomialActivation.monomial(2).sigma(c[0], c[1], q12), 1e-14 * scale);
            assertEquals(9 * c[0] * c[1] * q12 + 6 * q12 * q12 * q12,
                PolynomialActivation.monomial(3).sigma(c[0], c[1], q12), 1e-13 * scale);
            assertEquals(9 * (c[0] * c[1] + 2 * q12 * q12), PolynomialActivation.monomial(3).sigmaDot(c[0], c[1], q12),
                1e-13 * scale);
            // He_2 = x^2 - 1: E[(u^2 - 1)(v^2 - 1)] / 2! = (2 q12^2 + (q11 - 1)(q22 - 1)) / 2
            assertEquals((2 * q12 * q12 + (c[0] - 1) * (c[1] - 1)) / 2,
                PolynomialActivation.hermite(2).sigma(c[0], c[1], q12), 1e-14 * scale);
        }
        // unit variances: the normalised Hermite kernel is ρ^n, its Σ̇ n ρ^(n-1)
        for (int n = 0; n <= 8; n++) {
            for (double rho : new double[] {-1, -0.6, 0, 0.35, 0.9, 1}) {
                PolynomialActivation h = PolynomialActivation.hermite(n);
                assertEquals(Math.pow(rho, n), h.sigma(1, 1, rho), 1e-12, "n=" + n);
                assertEquals(n == 0 ? 0 : n * Math.pow(rho, n - 1), h.sigmaDot(1, 1, rho), 1e-11, "n=" + n);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> PolynomialActivation.hermite(9));
        assertThrows(IllegalArgumentException.class, () -> new RectifiedMonomialActivation(-1));
    }

    @Test
    void periodicGaussianAndSignByHand() {
        for (double[] c : CASES) {
            double q12 = q12(c);
            double m = Math.exp(-(c[0] + c[1] - 2 * q12) / 2);
            double p = Math.exp(-(c[0] + c[1] + 2 * q12) / 2);
            assertEquals((m - p) / 2, SinActivation.sin(0, 1, 1).sigma(c[0], c[1], q12), 1e-15);
            assertEquals((m + p) / 2, SinActivation.cos(0, 1, 1).sigma(c[0], c[1], q12), 1e-15);
            assertEquals((m - p) / 2, SinActivation.cos(0, 1, 1).sigmaDot(c[0], c[1], q12), 1e-15);
            assertEquals(Math.exp(-0.7 * (c[0] + c[1] - 2 * q12)), SinActivation.rbf(0.7).sigma(c[0], c[1], q12), 1e-15);
            assertEquals(1.4 * Math.exp(-0.7 * (c[0] + c[1] - 2 * q12)), SinActivation.rbf(0.7).sigmaDot(c[0], c[1], q12),
                1e-14);
            assertEquals(2 / Math.PI * Math.asin(c[2]), SignActivation.INSTANCE.sigma(c[0], c[1], q12), 1e-14);
            assertEquals(0, SignActivation.INSTANCE.sigmaDot(c[0], c[1], q12), 0);
            // zero correlation: E[φ(u)] E[φ(v)], E[a exp(b u^2)] = a / sqrt(1 - 2 b q)
            GaussianActivation g = new GaussianActivation(1.5, -0.8);
            assertEquals(1.5 / Math.sqrt(1 + 1.6 * c[0]) * 1.5 / Math.sqrt(1 + 1.6 * c[1]), g.sigma(c[0], c[1], 0), 1e-15);
            ExpActivation e = new ExpActivation(2, 0.5);
            assertEquals(4 * Math.exp(0.125 * c[0]) * Math.exp(0.125 * c[1]), e.sigma(c[0], c[1], 0), 1e-13);
        }
        assertEquals(1, SignActivation.INSTANCE.sigma(2, 2, 2), 0);
        assertEquals(0, SignActivation.INSTANCE.sigma(0, 2, 0), 0);
        assertThrows(IllegalArgumentException.class, () -> new GaussianActivation(1, 0));
        assertThrows(IllegalArgumentException.class, () -> SinActivation.rbf(0));
    }

    /** Price's theorem: ∂Σ/∂q12 = E[φ'(u) φ'(v)], by a central difference in q12 away from |ρ| = 1. */
    @Test
    void derivativeMapIsTheCorrelationDerivative() {
        List<Activation> smooth = List.of(SinActivation.sin(0.3, 1.2, 0.8), SinActivation.cos(-0.5, 1, 1.3),
            SinActivation.rbf(0.4), new GaussianActivation(1, -0.5), new GaussianActivation(2, -1.5),
            new ExpActivation(0.7, 0.9), new RectifiedMonomialActivation(1), new RectifiedMonomialActivation(2),
            new RectifiedMonomialActivation(3), new RectifiedMonomialActivation(5), PolynomialActivation.monomial(1),
            PolynomialActivation.monomial(4), PolynomialActivation.hermite(3), PolynomialActivation.hermite(6),
            GeluActivation.INSTANCE, AbReluActivation.abs());
        for (Activation a : smooth) {
            for (double[] c : CASES) {
                if (Math.abs(c[2]) > 0.99) {
                    continue;
                }
                double q12 = q12(c);
                double h = 1e-5 * Math.sqrt(c[0] * c[1]);
                double fd = (a.sigma(c[0], c[1], q12 + h) - a.sigma(c[0], c[1], q12 - h)) / (2 * h);
                double scale = Math.sqrt(a.sigmaDot(c[0], c[0], c[0]) * a.sigmaDot(c[1], c[1], c[1])) + 1e-300;
                assertEquals(fd, a.sigmaDot(c[0], c[1], q12), 1e-6 * scale, a.name() + " at "
                    + java.util.Arrays.toString(c));
            }
        }
    }
    /**
     * GELU against its published arrangement (Tsuchida, Pearce, van der Heide, Roosta, Gallagher, arXiv:2002.08517,
     * as neural-tangents' Gelu writes it): with π1 = q11 q22, P = (1 + q11)(1 + q22), δ² = P - q12²,
     * Σ = q12/4 + (q12 atan2(q12, δ) + (q12² + π1 δ²) / (P δ)) / 2π,
     * Σ̇ = 1/4 + atan2(q12, δ)/2π + q12 (1/δ² + (1 - π1)/P + 1) / (2π δ), and on the diagonal
     * Σ(q, q, q) = q (1/4 + (q / ((1 + q) sqrt(1 + 2q)) + atan2(q, sqrt(1 + 2q)) / 2) / π).
     * eqntk's arrangement differs (it folds π1 δ² / P into q11 q22 + k q12²), so agreement to rounding checks the
     * algebra, and the three entry points (sigma, sigmaDot, expectations) against each other.
     */
    @Test
    void geluEqualsThePublishedClosedForm() {
        java.util.Random random = new java.util.Random(20021);
        double[] both = new double[2];
        for (int t = 0; t < 2000; t++) {
            double[] c = t < CASES.length ? CASES[t]
                : new double[] {Math.exp(4 * random.nextDouble() - 3), Math.exp(4 * random.nextDouble() - 3),
                    2 * random.nextDouble() - 1};
            double q11 = c[0];
            double q22 = c[1];
            double q12 = q12(c);
            double prod = q11 * q22;
            double prodPlus1 = (1 + q11) * (1 + q22);
            double deltaSquared = prodPlus1 - q12 * q12;
            double delta = Math.sqrt(deltaSquared);
            double angle = Math.atan2(q12, delta);
            double sigma = 0.25 * q12
                + (q12 * angle + (q12 * q12 + prod * deltaSquared) / (prodPlus1 * delta)) / (2 * Math.PI);
            double dot = 0.25 + angle / (2 * Math.PI)
                + q12 / delta / (2 * Math.PI) * (1 / deltaSquared + (1 - prod) / prodPlus1 + 1);
            double scale = Math.sqrt(q11 * q22) + 1e-300;
            String at = java.util.Arrays.toString(c);
            assertEquals(sigma, GeluActivation.INSTANCE.sigma(q11, q22, q12), 1e-14 * Math.max(scale, Math.abs(sigma)), at);
            assertEquals(dot, GeluActivation.INSTANCE.sigmaDot(q11, q22, q12), 1e-14, at);
            GeluActivation.INSTANCE.expectations(q11, q22, q12, both, 0);
            assertEquals(GeluActivation.INSTANCE.sigma(q11, q22, q12), both[0], 0, at);
            assertEquals(GeluActivation.INSTANCE.sigmaDot(q11, q22, q12), both[1], 0, at);
            double root = Math.sqrt(1 + 2 * q11);
            double diagonal = q11 * (0.25 + (q11 / ((q11 + 1) * root) + Math.atan2(q11, root) / 2) / Math.PI);
            assertEquals(diagonal, GeluActivation.INSTANCE.sigma(q11, q11, q11), 1e-14 * Math.max(q11, diagonal), at);
        }
    }
}
