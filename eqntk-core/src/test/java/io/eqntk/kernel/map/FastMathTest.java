package io.eqntk.kernel.map;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FastMathTest {
    @Test
    void atan2MatchesStrictMath() {
        Random r = new Random(1);
        double maxErr = 0;
        for (int i = 0; i < 2_000_000; i++) {
            double y = r.nextGaussian() * Math.pow(10, r.nextInt(13) - 6);
            double x = r.nextGaussian() * Math.pow(10, r.nextInt(13) - 6);
            double ref = StrictMath.atan2(y, x);
            maxErr = Math.max(maxErr, Math.abs(FastMath.atan2(y, x) - ref));
        }
        // a few units in the last place of values up to pi
        assertTrue(maxErr <= 2e-15, "max error " + maxErr);
    }

    @Test
    void atan2EdgeCases() {
        double[] v = {0.0, -0.0, 1.0, -1.0, 1e-300, -1e-300, 1e300, -1e300, 0.5, 3.0};
        for (double y : v) {
            for (double x : v) {
                // zeros count as positive (documented): compare with +0 in place of -0
                double ref = StrictMath.atan2(y == 0 ? 0.0 : y, x == 0 ? 0.0 : x);
                assertEquals(ref, FastMath.atan2(y, x), 2e-15, "atan2(" + y + ", " + x + ")");
            }
        }
        // the reduction's interval boundaries tan(π/16), tan(3π/16), the ends, and a fine grid of ratios a/b
        double maxErr = 0;
        for (double z0 : new double[] {0, FastMath.T1, FastMath.T2, 1}) {
            for (double d : new double[] {-1e-9, -1e-15, 0, 1e-15, 1e-9}) {
                double z = Math.max(0, Math.min(1, z0 + d));
                maxErr = Math.max(maxErr, Math.abs(StrictMath.atan(z) - FastMath.atanRatio(z, 1)));
            }
        }
        for (int k = 0; k <= 100_000; k++) {
            double b = 1 + k % 7;
            double a = b * k / 100_000.0;
            maxErr = Math.max(maxErr, Math.abs(StrictMath.atan(a / b) - FastMath.atanRatio(a, b)));
        }
        // two units in the last place of results up to π/4 (ulp 1.1e-16), including the rounding of a / b
        assertTrue(maxErr <= 3.4e-16, "max error " + maxErr);
    }

    @Test
    void nonlinearityRowsMatchTextbookFormulas() {
        Random r = new Random(2);
        for (int t = 0; t < 20000; t++) {
            double q11 = Math.exp(r.nextGaussian());
            double q22 = Math.exp(r.nextGaussian());
            double rho = 2 * r.nextDouble() - 1;
            if (t % 100 == 0) {
                rho = t % 200 == 0 ? 1 : -1;
            }
            double q12 = rho * Math.sqrt(q11 * q22);
            for (boolean relu : new boolean[] {true, false}) {
                Nonlinearity phi = relu ? ReluKernel.INSTANCE : ErfKernel.INSTANCE;
                double[] got = phi.map(q11, q22, q12);
                double norm = Math.sqrt(q11 * q22);
                double[] want;
                if (relu) {
                    double th = Math.acos(Math.max(-1, Math.min(1, q12 / norm)));
                    want = new double[] {norm * (Math.sin(th) + (Math.PI - th) * Math.cos(th)) / (2 * Math.PI),
                        (Math.PI - th) / (2 * Math.PI)};
                } else {
                    double d = Math.sqrt((1 + 2 * q11) * (1 + 2 * q22));
                    want = new double[] {2 / Math.PI * Math.asin(2 * q12 / d),
                        4 / Math.PI / Math.sqrt(d * d - 4 * q12 * q12)};
                }
                // near rho = ±1 the textbook acos form loses digits itself; compare with a matching tolerance
                assertEquals(want[0], got[0], 1e-10 * (norm + 1), "sigma " + relu + " " + q11 + " " + q22 + " " + q12);
                assertEquals(want[1], got[1], 1e-7 * (Math.abs(want[1]) + 1), "dot " + relu);
            }
        }
    }
}
