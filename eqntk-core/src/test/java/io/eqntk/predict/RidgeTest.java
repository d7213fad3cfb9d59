package io.eqntk.predict;

import io.eqntk.EqntkException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RidgeTest {
    @Test
    void lambdaOfRelativeAndAbsolute() {
        double[] k = {2, 1, 0, 1, 4, 0, 0, 0, 6}; // trace 12, n 3
        assertEquals(0.4, Ridge.relative(0.1).lambda(k, 3), 1e-15);
        assertEquals(0.7, Ridge.absolute(0.7).lambda(k, 3), 0);
        assertEquals(0, Ridge.NONE.lambda(k, 3), 0);
    }

    @Test
    void stringFormRoundTrips() {
        assertEquals("rel 1e-3", Ridge.relative(1e-3).toString());
        assertEquals("abs 0.5", Ridge.absolute(0.5).toString());
        assertEquals("abs 0", Ridge.NONE.toString());
        assertEquals("rel 2.5e-7", Ridge.relative(2.5e-7).toString());
        assertEquals("abs 20", Ridge.absolute(20).toString());
        assertEquals("rel 1e8", Ridge.relative(1e8).toString());
        for (Ridge r : new Ridge[]{Ridge.relative(1e-3), Ridge.absolute(0.5), Ridge.relative(2.5e-7),
                Ridge.absolute(123.25), Ridge.relative(0)}) {
            assertEquals(r, Ridge.parse(r.toString()));
        }
        assertEquals(Ridge.relative(0.01), Ridge.parse("0.01"));
        assertEquals(Ridge.absolute(3), Ridge.parse("ABS=3"));
    }

    @Test
    void rejectsBadValues() {
        assertThrows(EqntkException.class, () -> Ridge.relative(-1));
        assertThrows(EqntkException.class, () -> Ridge.absolute(Double.NaN));
        assertThrows(EqntkException.class, () -> Ridge.absolute(Double.POSITIVE_INFINITY));
        EqntkException e = assertThrows(EqntkException.class, () -> Ridge.parse("rel x"));
        assertTrue(e.getMessage().contains("rel x"), e.getMessage());
        e = assertThrows(EqntkException.class, () -> Ridge.relative(1).lambda(new double[3], 2));
        assertTrue(e.getMessage().contains("kTrain") && e.getMessage().contains("4"), e.getMessage());
    }
}
