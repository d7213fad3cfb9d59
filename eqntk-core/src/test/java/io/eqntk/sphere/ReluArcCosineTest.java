package io.eqntk.sphere;

import io.eqntk.nonlin.ReluActivation;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ReluArcCosineTest {
    @Test
    void atan2AgreesWithStrictMathToAFewUlps() {
        Random rng = new Random(1);
        double[][] edges = {{0, 1}, {0, -1}, {0, 0}, {1, 0}, {1, 1}, {1, -1}, {1e-300, 1}, {1, 1e-300}, {3, -1e-17},
            {0.5, 0.5 + 1e-16}, {1, -1 / 64.0}, {1, 63.5 / 64}};
        for (double[] e : edges) {
            assertEquals(Math.atan2(e[0], e[1]), ReluArcCosine.atan2(e[0], e[1]), 4 * Math.ulp(Math.PI), e[0] + "," + e[1]);
        }
        for (int i = 0; i < 200_000; i++) {
            double y = Math.abs(rng.nextGaussian()) * Math.pow(10, rng.nextInt(9) - 4);
            double x = rng.nextGaussian() * Math.pow(10, rng.nextInt(9) - 4);
            double expected = Math.atan2(y, x), actual = ReluArcCosine.atan2(y, x);
            assertEquals(expected, actual, 3 * Math.ulp(expected), y + "," + x);
        }
        assertEquals(Double.NaN, ReluArcCosine.atan2(Double.NaN, 1));
        assertEquals(Math.atan2(-1, 2), ReluArcCosine.atan2(-1, 2));
    }

    @Test
    void expectationsAgreeWithTheSharedRelu() {
        Random rng = new Random(2);
        double[] a = new double[2], b = new double[2];
        for (int i = 0; i < 50_000; i++) {
            double q11 = rng.nextDouble() + 0.01, q22 = rng.nextDouble() + 0.01;
            double q12 = (2 * rng.nextDouble() - 1) * Math.sqrt(q11 * q22);
            ReluArcCosine.expectations(q11, q22, q12, a);
            ReluActivation.INSTANCE.expectations(q11, q22, q12, b, 0);
            assertEquals(b[0], a[0], 1e-15 * Math.sqrt(q11 * q22));
            assertEquals(b[1], a[1], 1e-15);
        }
    }
}
