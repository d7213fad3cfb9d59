package io.eqntk.kernel;

import io.eqntk.kernel.map.VectorSupport;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The benchmark aid runs every loop and reports a positive finite time for each (timings themselves unchecked). */
class InnerLoopTimingsTest {
    @Test
    void reportsEveryLoop() {
        Map<String, Double> m = InnerLoopTimings.measure(10);
        for (String k : new String[] {"relu_map_float64", "relu_map_float32", "box_sums_float64", "box_sums_float32"}) {
            assertTrue(m.containsKey(k), k);
        }
        assertEquals(VectorSupport.ENABLED ? 8 : 4, m.size(), m.toString());
        for (Map.Entry<String, Double> e : m.entrySet()) {
            assertTrue(e.getValue() > 0 && Double.isFinite(e.getValue()), e.toString());
        }
    }
}
