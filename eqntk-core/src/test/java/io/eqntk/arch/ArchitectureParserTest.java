package io.eqntk.arch;

import io.eqntk.model.Padding;
import io.eqntk.model.ArchitectureException;
import io.eqntk.group.PointGroup;
import io.eqntk.layer.Conv;
import io.eqntk.layer.Dense;
import io.eqntk.layer.GlobalAvgPool;
import io.eqntk.layer.Lift;
import io.eqntk.layer.Pointwise;
import io.eqntk.nonlin.ReluActivation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ArchitectureParserTest {
    @Test
    void parsesIntoTheObjectsTheJavaApiBuilds() {
        Architecture parsed = Architecture.parse(
            "conv(3, VALID, w=1.5, b=0.1) relu conv(3, VALID, w=1.5, b=0.1) relu gap dense(w=1.5, b=0.1)");
        Architecture built = Architecture.of(new Conv(3, Padding.VALID, 1.5, 0.1), new Pointwise(ReluActivation.INSTANCE),
            new Conv(3, Padding.VALID, 1.5, 0.1), new Pointwise(ReluActivation.INSTANCE), GlobalAvgPool.INSTANCE, new Dense(1.5, 0.1));
        assertEquals(built, parsed);
        assertEquals(built.spec(), parsed.spec());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "lift(D4, 3, SAME, w=1.3, b=0.2) relu gconv(3, SAME, w=1.3, b=0.2) relu gpool dense(w=1, b=0.1) relu dense",
        "conv(5, CIRCULAR) erf avgpool(2) conv(1, VALID, b=0) relu flatten dense(w=0.5)",
        "lift(p4m, 3) relu gpool", "lift(C2, 1, VALID) gpool",
    })
    void canonicalSpecRoundTrips(String spec) {
        Architecture a = Architecture.parse(spec);
        assertEquals(a, Architecture.parse(a.spec()));
    }

    @Test
    void namesAndKeysAreCaseInsensitiveAndDefaultsApply() {
        Architecture a = Architecture.parse("CONV(3) ReLU  LIFT(p4, q=3, pad=valid, W=2) GPOOL Dense(B=0.5)");
        assertEquals("conv(3, SAME) relu lift(C4, 3, VALID, w=2) gpool dense(b=0.5)", a.spec());
        Lift l = (Lift) a.layers().get(2);
        assertEquals(PointGroup.C4, l.group());
    }

    @Test
    void repeatedGroups() {
        Architecture a = Architecture.parse("[conv(3) relu]*21 gap dense");
        assertEquals(44, a.size());
        assertEquals(Architecture.parse("[conv(3) relu]*2 gap dense"),
            Architecture.parse("conv(3) relu conv(3) relu gap dense"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "conv(3) foo relu|layer 2 'foo': unknown layer 'foo'",
        "conv(3, SAME, w=x)|layer 1 'conv(3, SAME, w=x)': w must be a finite number, got 'x'",
        "conv(4)|layer 1 'conv(4)': filter size must be odd",
        "conv(3, HALF)|unknown padding 'HALF'",
        "conv|layer 1 'conv': missing argument 'q'",
        "relu(2)|layer 1 'relu(2)': takes no arguments",
        "dense(w=1, z=2)|unknown argument 'z' (allowed: w, b, param, n)",
        "lift(C3, 3)|unknown group 'C3'",
        "conv(3, w=1, w=2)|given twice",
        "conv(3 relu|missing ')'",
        "conv(3, b=-1)|b must be a finite non-negative number",
        "[conv(3) relu gap|missing ']'",
        "[conv(3)] relu|must be followed by *N",
        "conv(3, w=1, SAME)|positional argument 'SAME' after key=value",
    })
    void errorsPointAtTheLayer(String spec, String expected) {
        ArchitectureException e = assertThrows(ArchitectureException.class, () -> Architecture.parse(spec));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void emptyStringIsAnError() {
        assertThrows(ArchitectureException.class, () -> Architecture.parse("  "));
    }
}
