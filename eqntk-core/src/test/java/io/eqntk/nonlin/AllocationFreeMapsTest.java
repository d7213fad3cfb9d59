package io.eqntk.nonlin;

import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The maps, closed form and quadrature alike, allocate nothing per call (the engine calls them per kernel entry). */
class AllocationFreeMapsTest {

    @Test
    void mapsDoNotAllocate() {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        if (!(bean instanceof com.sun.management.ThreadMXBean sun) || !sun.isThreadAllocatedMemorySupported()) {
            return; // not measurable on this JVM (OpenJDK supports it)
        }
        GaussHermite2D rule = GaussHermite2D.ofOrder(16);
        PolarQuadrature2D polar = PolarQuadrature2D.ofOrders(4, 4);
        // an array, not a List: the list's iterator would be the only allocation in the loop
        Activation[] all = {ReluActivation.INSTANCE, AbReluActivation.leaky(0.1), ErfActivation.INSTANCE,
            GeluActivation.INSTANCE};
        double[] out = new double[2];
        double sink = 0;
        for (int round = 0; round < 2; round++) {
            long thread = Thread.currentThread().getId();
            long before = sun.getThreadAllocatedBytes(thread);
            for (int k = 0; k < 20_000; k++) {
                double q12 = 0.001 * (k % 1000) - 0.5;
                for (Activation a : all) {
                    a.expectations(1.2, 0.8, q12, out, 0);
                    sink += out[0] + out[1] + a.sigma(1.2, 0.8, q12) + a.sigmaDot(1.2, 0.8, q12) + a.sigmaDiag(1.2);
                }
                if (k % 10 == 0) {
                    sink += rule.phiPhi(TanhActivation.INSTANCE, 1.2, 0.8, q12)
                        + rule.dphiDphi(TanhActivation.INSTANCE, 1.2, 0.8, q12)
                        + polar.phiPhi(TanhActivation.INSTANCE, 1.2, 0.8, q12)
                        + polar.dphiDphi(ReluActivation.INSTANCE, 0.8, 1.2, q12);
                }
            }
            long allocated = sun.getThreadAllocatedBytes(thread) - before;
            // 400 000 closed-form calls and 8 000 quadratures: one 16-byte object per call would be > 64 kB
            assertTrue(round == 0 || allocated < 4096, "maps allocated " + allocated + " bytes");
        }
        assertTrue(Double.isFinite(sink));
    }
}
