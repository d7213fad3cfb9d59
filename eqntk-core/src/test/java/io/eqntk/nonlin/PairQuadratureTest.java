package io.eqntk.nonlin;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Both two-dimensional rules (tensor Gauss-Hermite, kink-aware polar): polynomial exactness, degenerate
 * covariances, exact symmetry, input checks.
 */
class PairQuadratureTest {
    private static final List<PairQuadrature> SMALL = List.of(GaussHermite2D.ofOrder(8),
        PolarQuadrature2D.ofOrders(16, 8));
    private static final List<PairQuadrature> MEDIUM = List.of(GaussHermite2D.ofOrder(40),
        PolarQuadrature2D.ofOrders(32, 48));

    /** Gaussian moments by Isserlis: E[uv] = q12, E[u^2 v^2] = q11 q22 + 2 q12^2, E[u^3 v] = 3 q11 q12, ... */
    @ParameterizedTest
    @CsvSource({"1, 1, 0.5", "2, 0.5, -0.7", "0.3, 3, 0.9", "4, 0.25, 0", "1, 1, 1", "1, 4, -2", "0, 2, 0", "3, 0, 0"})
    void exactOnLowDegreePolynomials(double q11, double q22, double q12) {
        for (PairQuadrature rule : SMALL) {
            String name = rule.getClass().getSimpleName();
            assertEquals(q12, rule.expect(u -> u, v -> v, q11, q22, q12), 1e-14, name);
            assertEquals(q11 * q22 + 2 * q12 * q12, rule.expect(u -> u * u, v -> v * v, q11, q22, q12), 1e-13, name);
            assertEquals(q11 * q11 * 3, rule.expect(u -> u * u * u * u, v -> 1, q11, q22, q12), 1e-13, name);
            assertEquals(3 * q11 * q12, rule.expect(u -> u * u * u, v -> v, q11, q22, q12), 1e-13, name);
            assertEquals(3 * q22 * q12, rule.expect(u -> u, v -> v * v * v, q11, q22, q12), 1e-13, name);
            // E[u^3 v^3] = 9 q11 q22 q12 + 6 q12^3
            assertEquals(9 * q11 * q22 * q12 + 6 * q12 * q12 * q12,
                rule.expect(u -> u * u * u, v -> v * v * v, q11, q22, q12), 1e-12, name);
            assertEquals(1 + q11, rule.expect(u -> 1 + u * u, v -> 1, q11, q22, q12), 1e-14 * (1 + q11), name);
        }
    }

    /** E[f(u)] in one dimension: E[exp(u)] = exp(q/2). */
    @Test
    void oneDimensionalExpectation() {
        for (PairQuadrature rule : MEDIUM) {
            assertEquals(Math.exp(0.75), rule.expect(Math::exp, 1.5), 1e-14);
            assertEquals(1, rule.expect(Math::exp, 0), 0);
        }
    }

    /**
     * Degenerate covariances: a zero variance pins its variable at 0; |ρ| = 1 makes v = ±sqrt(q22/q11) u; a
     * correlation rounded just past ±1 counts as ±1.
     */
    @Test
    void degenerateCovariances() {
        for (PairQuadrature rule : MEDIUM) {
            String name = rule.getClass().getSimpleName();
            assertEquals(Math.cos(0) * Math.exp(1), rule.expect(Math::cos, Math::exp, 0, 2, 0), 1e-14, name);
            assertEquals(Math.exp(1) * Math.cos(0), rule.expect(Math::exp, Math::cos, 2, 0, 0), 1e-14, name);
            assertEquals(Math.exp(0) * Math.cos(0), rule.expect(Math::exp, Math::cos, 0, 0, 0), 0, name);
            // ρ = ±1 with q11 = 1, q22 = 4: v = ±2u, E[exp(u) exp(±2u)] = exp((1 ± 2)^2 / 2)
            assertEquals(Math.exp(4.5), rule.expect(Math::exp, Math::exp, 1, 4, 2), 1e-13 * Math.exp(4.5), name);
            assertEquals(Math.exp(0.5), rule.expect(Math::exp, Math::exp, 1, 4, -2), 1e-14, name);
            double past = 2 * (1 + 1e-15);
            assertEquals(Math.exp(4.5), rule.expect(Math::exp, Math::exp, 1, 4, past), 1e-13 * Math.exp(4.5), name);
            assertEquals(Math.exp(0.5), rule.expect(Math::exp, Math::exp, 4, 1, -past), 1e-14, name);
        }
    }

    /** Swapping (q11, u) with (q22, v) gives the same number bit for bit (the larger variance is factored first). */
    @Test
    void exactlySymmetricForOneFunction() {
        double[][] cases = {{1, 2, 0.3}, {0.7, 0.2, -0.35}, {3, 3, 1.5}, {0, 1, 0}, {5, 0.1, 0.7}};
        for (PairQuadrature rule : MEDIUM) {
            for (double[] c : cases) {
                for (Activation a : new Activation[]{TanhActivation.INSTANCE, ReluActivation.INSTANCE}) {
                    assertEquals(rule.phiPhi(a, c[0], c[1], c[2]), rule.phiPhi(a, c[1], c[0], c[2]), 0);
                    assertEquals(rule.dphiDphi(a, c[0], c[1], c[2]), rule.dphiDphi(a, c[1], c[0], c[2]), 0);
                }
            }
        }
    }

    @Test
    void rejectsNegativeOrNanVariancesAndBadOrders() {
        Activation tanh = TanhActivation.INSTANCE;
        for (PairQuadrature rule : SMALL) {
            assertThrows(IllegalArgumentException.class, () -> rule.phiPhi(tanh, -1, 1, 0));
            assertThrows(IllegalArgumentException.class, () -> rule.phiPhi(tanh, 1, Double.NaN, 0));
            assertThrows(IllegalArgumentException.class, () -> rule.phiPhi(tanh, 1, 1, Double.NaN));
        }
        assertThrows(IllegalArgumentException.class, () -> PolarQuadrature2D.ofOrders(0, 8));
        assertThrows(IllegalArgumentException.class, () -> PolarQuadrature2D.ofOrders(8, 129));
    }

    @Test
    void defaultRulesAreShared() {
        assertEquals(GaussHermite2D.DEFAULT_ORDER, GaussHermite2D.standard().order());
        assertSame(GaussHermite2D.standard(), GaussHermite2D.ofOrder(GaussHermite2D.DEFAULT_ORDER));
        assertSame(PolarQuadrature2D.standard(),
            PolarQuadrature2D.ofOrders(PolarQuadrature2D.DEFAULT_ANGULAR, PolarQuadrature2D.DEFAULT_RADIAL));
    }
}
