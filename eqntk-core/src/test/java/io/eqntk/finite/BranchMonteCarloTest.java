package io.eqntk.finite;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Branch layers' analytic kernels (the sum of the branch kernels for res and sum, their mean for concat) against
 * Monte-Carlo estimates from finite networks whose branches have weights of their own: every entry within 3
 * standard errors, as CNNs and as C4 / D4 networks, first layers included.
 */
class BranchMonteCarloTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
        // first-layer branches: NTK equals NNGP
        "sum(conv(3, b=0.2) | conv(5, w=1.2)) gap; 5; 16; 8; 150",
        "conv(3, SAME) res(relu conv(3, SAME, b=0.1)) relu gap dense; 5; 32; 8; 150",
        "conv(3, SAME, w=1.2) res(relu conv(3) relu conv(1)) res(relu conv(3, b=0.1)) relu gap dense; 4; 32; 8; 120",
        "conv(3) relu concat(conv(3) relu | conv(1, b=0.2) erf) conv(3) relu gap dense; 5; 32; 8; 150",
        "conv(3) relu gap dense res(relu dense(w=1.3)) relu dense; 4; 64; 8; 150",
        // a branch ending in a nonlinearity beside the zero-mean identity: still no cross term
        "conv(3, b=0.2) res(relu conv(3) relu) gap dense; 4; 32; 8; 150",
        "lift(C4, 3, SAME, b=0.1) res(relu gconv(3, SAME)) relu gpool dense; 4; 16; 4; 100",
        "sum(lift(D4, 3) | lift(D4, 1, b=0.3)) res(relu gconv(3, SAME) relu gconv(1)) relu gpool dense; 4; 12; 4; 100",
        "lift(D4, 3) relu concat(gconv(3) | gconv(1) relu gconv(3)) relu gpool dense; 4; 12; 4; 100",
    })
    void branchKernelsMatchFiniteNetworks(String spec, int size, int width, int outputs, int samples) {
        MonteCarloAgreementTest.agrees(spec, size, width, outputs, samples, Double.POSITIVE_INFINITY);
    }
}
