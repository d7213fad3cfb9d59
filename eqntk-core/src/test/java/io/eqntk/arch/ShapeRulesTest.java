package io.eqntk.arch;

import io.eqntk.model.FeatureShape;
import io.eqntk.model.ArchitectureException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ShapeRulesTest {
    @Test
    void paddingRules() {
        List<FeatureShape> s = Architecture.parse("conv(3, SAME) conv(5, VALID) conv(3, CIRCULAR) avgpool(2) gap dense")
            .shapes(FeatureShape.image(12, 10, 3), 8, 2);
        assertEquals(FeatureShape.image(12, 10, 8), s.get(1));
        assertEquals(FeatureShape.image(8, 6, 8), s.get(2));
        assertEquals(FeatureShape.image(8, 6, 8), s.get(3));
        assertEquals(FeatureShape.image(4, 3, 8), s.get(4));
        assertEquals(FeatureShape.vector(8), s.get(5));
        assertEquals(FeatureShape.vector(2), s.get(6));
    }

    @Test
    void groupShapes() {
        List<FeatureShape> s = Architecture.parse("lift(D4, 3, VALID) relu gconv(3, VALID) avgpool(2) gpool dense")
            .shapes(FeatureShape.image(10, 10, 3), 4, 1);
        assertEquals(8, s.get(1).groupSize());
        assertEquals(8, s.get(1).height());
        assertEquals(6, s.get(3).height());
        assertEquals(3, s.get(4).height());
        assertEquals(FeatureShape.vector(4), s.get(5));
        assertEquals(8 * 3 * 3 * 4, Architecture.parse("lift(D4, 3, VALID) avgpool(2) flatten")
            .shapes(FeatureShape.image(8, 8, 1), 4, 4).get(3).channels());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "conv(7, VALID) gap|5|5|layer 1 'conv(7, VALID)': filter 7x7 is larger than its VALID input 5x5",
        "gconv(3) gpool|6|6|gconv needs a group feature map",
        "conv(3) gpool|6|6|gpool needs a group feature map",
        "lift(C4, 3) gap|6|6|gap on a C4 group feature map: use gpool",
        "lift(C4, 3) relu gpool|6|8|C4 rotates the grid by 90 degrees and needs square inputs",
        "lift(C4, 3) relu lift(C4, 3) gpool|6|6|already a C4 group feature map",
        "lift(C4, 3) conv(3) gpool|6|6|use gconv",
        "conv(3) dense|6|6|dense needs a feature vector",
        "conv(3) avgpool(4) gap|6|6|divisible by 4",
        "conv(3) relu|6|6|ends in the map",
        "gap gap|6|6|already a vector",
    })
    void invalidArchitecturesAreExplained(String spec, int h, int w, String expected) {
        ArchitectureException e = assertThrows(ArchitectureException.class,
            () -> Architecture.parse(spec).validate(h, w, 3));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
