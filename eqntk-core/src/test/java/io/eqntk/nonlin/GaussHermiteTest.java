package io.eqntk.nonlin;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The one-dimensional rule: hand-derived small orders, exactness on moments, symmetry, caching. */
class GaussHermiteTest {

    /** Order 3: nodes 0, ±sqrt(3) and weights 2/3, 1/6 (the roots of He_3 = x^3 - 3x). */
    @Test
    void orderThreeByHand() {
        GaussHermite g = GaussHermite.ofOrder(3);
        assertEquals(-Math.sqrt(3), g.node(0), 1e-15);
        assertEquals(0, g.node(1), 0);
        assertEquals(Math.sqrt(3), g.node(2), 1e-15);
        assertEquals(1.0 / 6, g.weight(0), 1e-16);
        assertEquals(2.0 / 3, g.weight(1), 3e-16);
        assertEquals(1.0 / 6, g.weight(2), 1e-16);
    }

    /** E[Z^2k] = (2k - 1)!! exactly for 2k <= 2n - 1; the rule's weights sum to 1; nodes are mirrored exactly. */
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 5, 12, 20, 33})
    void exactOnMomentsUpToDegreeTwoNMinusOne(int n) {
        GaussHermite g = GaussHermite.ofOrder(n);
        for (int i = 0; i < n; i++) {
            assertEquals(-g.node(n - 1 - i), g.node(i), 0);
            assertEquals(g.weight(n - 1 - i), g.weight(i), 0);
        }
        double doubleFactorial = 1;
        for (int k = 0; 2 * k <= 2 * n - 1; k++) {
            if (k > 0) {
                doubleFactorial *= 2 * k - 1;
            }
            double moment = 0;
            for (int i = 0; i < n; i++) {
                moment += g.weight(i) * Math.pow(g.node(i), 2 * k);
            }
            assertEquals(1, moment / doubleFactorial, 1e-12, "n=" + n + " moment " + 2 * k);
        }
    }

    /**
     * High orders: the weights still sum to 1, E[cos(2Z)] = e^-2 to rounding, and the tail weights keep their
     * relative accuracy: E[exp(4Z)] = e^8 draws most of its value from nodes near z = 4, far from the centre.
     */
    @ParameterizedTest
    @ValueSource(ints = {64, 128, 256, 1024})
    void highOrdersIntegrateEntireFunctions(int n) {
        GaussHermite g = GaussHermite.ofOrder(n);
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += g.weight(i);
        }
        assertEquals(1, sum, 1e-14);
        assertEquals(Math.exp(-2), g.expect(z -> Math.cos(2 * z)), 1e-15);
        assertEquals(Math.exp(0.5), g.expect(Math::exp), 1e-14);
        assertEquals(Math.exp(8), g.expect(z -> Math.exp(4 * z)), 1e-13 * Math.exp(8));
    }

    @Test
    void rulesAreCachedAndOrdersChecked() {
        assertSame(GaussHermite.ofOrder(40), GaussHermite.ofOrder(40));
        assertThrows(IllegalArgumentException.class, () -> GaussHermite.ofOrder(0));
        assertThrows(IllegalArgumentException.class, () -> GaussHermite.ofOrder(GaussHermite.MAX_ORDER + 1));
        assertTrue(GaussHermite.ofOrder(128).first() > 0, "far-tail nodes of negligible weight are skipped");
    }
}
