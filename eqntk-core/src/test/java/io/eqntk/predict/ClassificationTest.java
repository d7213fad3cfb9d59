package io.eqntk.predict;

import io.eqntk.EqntkException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClassificationTest {
    @Test
    void targetsAreOneHotMinusOneOverK() {
        double[] y = Classification.targets(new int[]{2, 0}, 4);
        assertArrayEquals(new double[]{-0.25, -0.25, 0.75, -0.25, 0.75, -0.25, -0.25, -0.25}, y, 0);
        double[] y2 = Classification.targets(new int[]{1}, 2);
        assertArrayEquals(new double[]{-0.5, 0.5}, y2, 0);
        // each row sums to zero
        double[] y3 = Classification.targets(new int[]{0, 1, 2}, 3);
        for (int i = 0; i < 3; i++) {
            assertEquals(0, y3[3 * i] + y3[3 * i + 1] + y3[3 * i + 2], 1e-15);
        }
    }

    @Test
    void argmaxAndAccuracy() {
        double[] pred = {0.1, 0.7, 0.2, 0.5, 0.5, -1, -3, -2, -1};
        assertArrayEquals(new int[]{1, 0, 2}, Classification.argmax(pred, 3, 3)); // tie -> first
        assertEquals(2.0 / 3, Classification.accuracy(new int[]{1, 0, 2}, new int[]{1, 1, 2}), 1e-15);
        assertEquals(1.0, Classification.accuracy(new int[]{4}, new int[]{4}), 0);
        assertArrayEquals(Classification.argmax(Classification.targets(new int[]{3, 1, 0}, 5), 3, 5),
                new int[]{3, 1, 0});
        assertEquals(5, Classification.numClasses(new int[]{0, 4}, new int[]{2}));
    }

    @Test
    void badInputs() {
        EqntkException e = assertThrows(EqntkException.class, () -> Classification.targets(new int[]{0, 3}, 3));
        assertTrue(e.getMessage().contains("labels[1] = 3"), e.getMessage());
        assertThrows(EqntkException.class, () -> Classification.targets(new int[]{0}, 1));
        e = assertThrows(EqntkException.class, () -> Classification.argmax(new double[5], 2, 3));
        assertTrue(e.getMessage().contains("pred") && e.getMessage().contains("got 5"), e.getMessage());
        e = assertThrows(EqntkException.class, () -> Classification.argmax(new double[]{0, Double.NaN}, 1, 2));
        assertTrue(e.getMessage().contains("pred") && e.getMessage().contains("index 1"), e.getMessage());
        e = assertThrows(EqntkException.class, () -> Classification.accuracy(new int[2], new int[3]));
        assertTrue(e.getMessage().contains("predicted") && e.getMessage().contains("got 2"), e.getMessage());
        assertThrows(EqntkException.class, () -> Classification.accuracy(new int[0], new int[0]));
        assertThrows(EqntkException.class, () -> Classification.numClasses(new int[]{-1}));
    }
}
