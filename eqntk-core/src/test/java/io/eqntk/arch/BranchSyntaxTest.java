package io.eqntk.arch;

import io.eqntk.kernel.KernelEngine;
import io.eqntk.layer.Branches;
import io.eqntk.layer.Conv;
import io.eqntk.layer.Identity;
import io.eqntk.layer.Layer;
import io.eqntk.layer.Pointwise;
import io.eqntk.model.ArchitectureException;
import io.eqntk.model.KernelOp;
import io.eqntk.model.Padding;
import io.eqntk.nonlin.ReluActivation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The branch syntax (res, sum, concat, id): parsing, canonical specs, and the one-line errors of bad branches. */
class BranchSyntaxTest {
    @ParameterizedTest
    @ValueSource(strings = {
        "conv(3) res(relu conv(3) relu conv(3)) relu gap dense",
        "sum(conv(3) | conv(5, w=1.2) | conv(1, b=0.1)) relu gap",
        "conv(3) relu concat(conv(3) | conv(1) relu conv(3)) relu flatten dense",
        "lift(D4, 3) res(relu gconv(3) res(relu gconv(1))) relu gpool dense",
        "conv(3) [res(relu conv(3) relu conv(3))]*3 relu gap dense",
        "conv(3) sum(id | relu conv(3) | relu conv(5)) relu gap",
        "conv(3) id relu gap",
        "conv(3) relu gap dense res(relu dense) relu dense",
    })
    void canonicalSpecRoundTrips(String spec) {
        Architecture a = Architecture.parse(spec);
        assertEquals(a, Architecture.parse(a.spec()));
        assertEquals(a.spec(), Architecture.parse(a.spec()).spec());
    }

    @Test
    void parsesIntoTheObjectsTheJavaApiBuilds() {
        Layer conv = new Conv(3, Padding.SAME, 1.0, null);
        Layer relu = new Pointwise(ReluActivation.INSTANCE);
        Architecture built = Architecture.of(conv, Branches.residual(List.of(relu, conv)),
            new Branches(List.of(List.of(conv), List.of(Identity.INSTANCE)), KernelOp.Combine.SUM),
            new Branches(List.of(List.of(relu, conv), List.of(conv)), KernelOp.Combine.CONCAT));
        Architecture parsed = Architecture.parse("conv(3) res(relu conv(3)) sum(conv(3) | id) concat(relu conv(3) | conv(3))");
        assertEquals(built, parsed);
        assertEquals("conv(3, SAME) res(relu conv(3, SAME)) sum(conv(3, SAME) | id) "
            + "concat(relu conv(3, SAME) | conv(3, SAME))", parsed.spec());
        // the identity first and one branch: the same block as res
        assertEquals("conv(3, SAME) res(conv(3, SAME))", Architecture.parse("conv(3) sum(id | conv(3))").spec());
        assertEquals(3, Architecture.parse("conv(3) [res(relu conv(3))]*2").size());
    }

    /** Errors of the string itself: one line naming the layer or the character. */
    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "conv(3) res(relu conv(3) gap; missing ')' to close the branches",
        "conv(3) sum(relu conv(3) | ) gap; empty branch",
        "conv(3) res(relu conv(3) | conv(1)) gap; res(A) takes one branch",
        "conv(3) sum(relu conv(3)) gap; sum needs at least two branches",
        "conv(3) concat(relu conv(3)) gap; concat needs at least two branches",
        "conv(3) res relu gap; res needs its branches in parentheses",
        "conv(3) relu | conv(3) gap; unexpected '|'",
        "conv(3) res(relu conv(3) swishy) gap; layer 5 'swishy': unknown layer",
        "conv(3) [res([relu conv(3)]*400)]*400 gap; the architecture has 320402 layers; at most 1000",
    })
    void badStringsGiveOneLineErrors(String spec, String expected) {
        ArchitectureException e = assertThrows(ArchitectureException.class, () -> Architecture.parse(spec));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    /** Branches that do not fit together: one line naming the branch layer and both shapes. */
    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "conv(3) res(relu conv(3, VALID)) gap; layer 2 'res(relu conv(3, VALID))': branches must give equal shapes, "
            + "but the identity gives [8, 8, 1] and the residual branch gives [6, 6, 1]",
        "conv(3) relu concat(lift(C4, 3) | conv(3)) gap; layer 3 'concat(lift(C4, 3, SAME) | conv(3, SAME))': concat "
            + "of a C4 group map [C4, 8, 8, 1] (branch 1 'lift(C4, 3, SAME)') with a plain map [8, 8, 1]",
        "res(conv(3)) relu gap; but the identity gives [8, 8, 3] and the residual branch gives [8, 8, 1] (layers "
            + "with weights give the network's width, 1 here, and a branch without them keeps its input's 3 channels",
        "concat(id | conv(3)) relu gap; branch 1 'id' gives [8, 8, 3] and branch 2 'conv(3, SAME)' gives [8, 8, 1]",
        "lift(C4, 3) res(relu gconv(3) gpool) gpool; the identity gives [C4, 8, 8, 1] and the residual branch gives [1]",
        "conv(3) res(relu conv(3) avgpool(3)) gap; the residual branch, layer 3 'avgpool(3)': ",
    })
    void mismatchedBranchesGiveOneLineErrors(String spec, String expected) {
        Architecture a = Architecture.parse(spec);
        ArchitectureException e = assertThrows(ArchitectureException.class, () -> a.validate(8, 8, 3));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    /** What the kernel maps assume: Gaussian inputs to nonlinearities, uncorrelated branches in a sum. */
    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "relu conv(3) gap; layer 1 'relu': needs a Gaussian input (its kernel map is an expectation over Gaussian "
            + "pre-activations), but its input is the raw input image",
        "conv(3) relu relu gap; layer 3 'relu': needs a Gaussian input (its kernel map is an expectation over "
            + "Gaussian pre-activations), but its input is the output of layer 2 'relu', which is not Gaussian",
        "relu res(conv(3) relu) relu gap; layer 1 'relu': needs a Gaussian input",
        "conv(3) relu res(conv(3) relu) gap; layer 3 'res(conv(3, SAME) relu)': the identity and the residual "
            + "branch both have a nonzero mean (they end in a nonlinearity)",
        "conv(3) relu res(conv(3)) relu gap; layer 4 'relu': needs a Gaussian input (its kernel map is an expectation "
            + "over Gaussian pre-activations), but its input is the output of layer 2 'relu', which is not Gaussian",
        "conv(3) res(relu conv(3) relu) relu gap; layer 3 'relu': needs a Gaussian input (its kernel map is an "
            + "expectation over Gaussian pre-activations), but its input is the output of layer 2 'res(relu conv(3, "
            + "SAME) relu)', the residual branch, layer 3 'relu', which is not Gaussian (put conv, gconv or dense after "
            + "it)",
        "conv(3) res(relu res(relu conv(3))) gap; layer 2 'res(relu res(relu conv(3, SAME)))', the residual branch, "
            + "layer 2 'res(relu conv(3, SAME))', the residual branch, layer 1 'relu': needs a Gaussian input",
        "gap relu dense; layer 2 'relu': needs a Gaussian input (its kernel map is an expectation over Gaussian "
            + "pre-activations), but its input is the raw input image",
        "conv(3) sum(id | id) gap; layer 2 'sum(id | id)': branch 1 'id' and branch 2 'id' have no weights of their "
            + "own, so they are correlated",
        "conv(3) sum(relu conv(3) relu | erf) gap; layer 2 'sum(relu conv(3, SAME) relu | erf)': branch 1 'relu "
            + "conv(3, SAME) relu' and branch 2 'erf' both have a nonzero mean",
        "conv(3) sum(id | relu | conv(1)) gap; branch 1 'id' and branch 2 'relu' have no weights of their own",
    })
    void brokenKernelAssumptionsGiveOneLineErrors(String spec, String expected) {
        Architecture a = Architecture.parse(spec);
        ArchitectureException e = assertThrows(ArchitectureException.class, () -> new KernelEngine(a, 1));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "conv(3) sum(relu conv(3) relu | conv(3)) conv(3) relu gap",
        "conv(3) concat(relu conv(3) relu | relu conv(1)) conv(3) relu gap",
        "conv(3) sum(id | relu conv(3) | relu conv(3) relu conv(1)) relu gap",
        "conv(3) res(relu conv(3) sum(id | relu conv(1))) relu gap",
        "flatten dense relu dense",
        "conv(3) res(relu conv(3)) relu gap",
        "conv(3) res(relu conv(3) relu) gap dense",
        "conv(3) sum(relu conv(3) relu | conv(1)) gap",
    })
    void validAssumptionsAreAccepted(String spec) {
        new KernelEngine(Architecture.parse(spec), 1);
    }
}
