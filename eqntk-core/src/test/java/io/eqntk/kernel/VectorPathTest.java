package io.eqntk.kernel;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The vectorised nonlinearity rows against the scalar reference rows, on random kernels including the edges. */
class VectorPathTest {
    @Test
    void vectorModuleIsActiveInTests() {
        // the build adds the module to the test JVM: this test keeps the fast path from silently going unused
        assertTrue(VectorSupport.ENABLED);
    }

    @Test
    void vectorRowsMatchScalarRows() {
        Random r = new Random(5);
        int len = 1003;
        for (int trial = 0; trial < 50; trial++) {
            double varA = Math.exp(r.nextGaussian());
            double[] varB = new double[len + 7];
            double[] sig = new double[len + 5];
            double[] th = new double[len + 5];
            for (int j = 0; j < varB.length; j++) {
                varB[j] = Math.exp(r.nextGaussian());
            }
            for (int j = 0; j < len; j++) {
                double rho = j % 97 == 0 ? 1 : j % 89 == 0 ? -1 : j % 83 == 0 ? 0 : 2 * r.nextDouble() - 1;
                sig[j + 5] = rho * Math.sqrt(varA * varB[j + 7]);
                th[j + 5] = r.nextDouble() + 0.1;
            }
            for (Nonlinearity phi : new Nonlinearity[] {ReluKernel.INSTANCE, ErfKernel.INSTANCE}) {
                double[] s1 = sig.clone();
                double[] t1 = th.clone();
                double[] s2 = sig.clone();
                double[] t2 = th.clone();
                phi.mapRow(varA, varB, 7, s1, t1, 5, len);
                if (phi instanceof ReluKernel) {
                    ((ReluKernel) phi).scalarRow(varA, varB, 7, s2, t2, 5, len);
                } else {
                    ((ErfKernel) phi).scalarRow(varA, varB, 7, s2, t2, 5, len);
                }
                // a few ulps of the natural scale sqrt(q11 q22) (relu) or 1 (erf), as for the scalar atan2
                for (int j = 5; j < sig.length; j++) {
                    double scale = Math.sqrt(varA * varB[j + 2]) + 1;
                    assertEquals(s2[j], s1[j], 2e-15 * scale, phi + " sigma " + j);
                    assertEquals(t2[j], t1[j], 2e-15 * (Math.abs(t2[j]) + 1), phi + " theta " + j);
                }
            }
        }
    }
}
