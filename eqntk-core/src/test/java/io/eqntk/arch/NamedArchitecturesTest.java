package io.eqntk.arch;

import io.eqntk.EqntkException;
import io.eqntk.experiment.ModelSpec;
import io.eqntk.layer.Layer;
import io.eqntk.model.ArchitectureException;
import io.eqntk.model.FeatureShape;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Named networks expand to the layer sequences they stand for, validate at their input size, and fail clearly. */
class NamedArchitecturesTest {
    private static final String W = "w=1.4142135623730951";
    private static final String CONV = "conv(3, SAME, " + W + ") relu";
    private static final String GCONV = "gconv(3, SAME, " + W + ") relu";

    private static String specOf(String text) {
        return Architecture.parse(text).spec();
    }

    @Test
    void myrtleNetworksAreShankarsLayerSequences() {
        String tail = " avgpool(2) avgpool(2) avgpool(2) flatten dense(" + W + ")";
        assertEquals(String.join(" ", CONV, CONV, "avgpool(2)", CONV, "avgpool(2)", CONV) + tail, specOf("myrtle5"));
        assertEquals(String.join(" ", CONV, CONV, "avgpool(2)", CONV, CONV, "avgpool(2)", CONV, CONV) + tail,
            specOf("myrtle7"));
        assertEquals(String.join(" ", CONV, CONV, CONV, "avgpool(2)", CONV, CONV, CONV, "avgpool(2)", CONV, CONV, CONV)
            + tail, specOf("MYRTLE10"));
        // the hand-written string it stands for parses to the same architecture
        assertEquals(Architecture.parse("[conv(3, SAME, w=1.4142135623730951) relu]*2 avgpool(2) "
            + "[conv(3, w=1.4142135623730951) relu]*1 avgpool(2) conv(3, w=1.4142135623730951) relu [avgpool(2)]*3 "
            + "flatten dense(w=1.4142135623730951)"), Architecture.parse("myrtle5"));
    }

    @Test
    void liftedMyrtleUsesGroupLayersAndGroupPooling() {
        String tail = " avgpool(2) avgpool(2) avgpool(2) gpool dense(" + W + ")";
        assertEquals(String.join(" ", "lift(D4, 3, SAME, " + W + ") relu", GCONV, "avgpool(2)", GCONV, "avgpool(2)", GCONV)
            + tail, specOf("myrtle5@d4"));
        assertEquals(String.join(" ", "lift(C4, 3, SAME, " + W + ") relu", GCONV, "avgpool(2)", GCONV, "avgpool(2)", GCONV)
            + tail, specOf("myrtle5@P4"));
    }

    @Test
    void namedNetworksValidateAtThirtyTwoAndComposeWithLayers() {
        for (String name : List.of("myrtle5", "myrtle7", "myrtle10", "myrtle5@c2", "myrtle7@d1", "myrtle10@d4")) {
            List<FeatureShape> shapes = Architecture.parse(name).validate(32, 32, 3);
            FeatureShape last = shapes.get(shapes.size() - 1);
            assertTrue(last.reduced(), name);
            // the map before the readout is 1x1 after five halvings
            FeatureShape beforeReadout = shapes.get(shapes.size() - 3);
            assertEquals(1, beforeReadout.height(), name);
        }
        // 16x16 is too small for five halvings: the shape error names the pooling layer
        ArchitectureException e = assertThrows(ArchitectureException.class,
            () -> Architecture.parse("myrtle5").validate(16, 16, 3));
        assertTrue(e.getMessage().contains("avgpool(2)"), e.getMessage());
        // a named network is one item of a larger string
        Architecture a = Architecture.parse("paper@c4");
        assertEquals("lift(C4, 3, VALID) relu gconv(3, VALID) relu gpool dense relu dense", a.spec());
        assertEquals(ModelSpec.PAPER_CNN_SPEC, specOf("paper"));
    }

    @Test
    void modelListsAcceptNamedNetworks() {
        List<ModelSpec> ms = ModelSpec.parseList("myrtle5,myrtle5@c4,myrtle5@d4");
        assertEquals(List.of("myrtle5", "myrtle5@c4", "myrtle5@d4"),
            ms.stream().map(ModelSpec::name).collect(Collectors.toList()));
        assertEquals(specOf("myrtle5@c4"), ms.get(1).spec());
        // the paper-GROUP names keep their meaning
        assertEquals(String.format(ModelSpec.PAPER_GROUP_SPEC, "C4"), ModelSpec.of("paper-c4").spec());
        EqntkException e = assertThrows(EqntkException.class, () -> ModelSpec.of("myrtle6"));
        assertTrue(e.getMessage().contains("myrtle5, myrtle7, myrtle10, wrn"), e.getMessage());
    }

    @Test
    void wideResNetExpandsToNeuralTangentsReadmeNetwork() {
        String main1 = "relu conv(3) relu conv(3)";
        String block1 = "sum(" + main1 + " | conv(3))";
        String res = "res(" + main1 + ")";
        String down = "sum(relu conv(3, stride=2) relu conv(3) | conv(3, stride=2))";
        assertEquals(String.join(" ", "conv(3)", block1, res, down, res, down, res, "avgpool(8) flatten dense"),
            NamedArchitectures.expand("wrn(16, 1)"));
        // depth 10: one block per group, so no identity-shortcut blocks
        assertEquals(String.join(" ", "conv(3)", block1, down, down, "avgpool(8) flatten dense"),
            NamedArchitectures.expand("wrn(10, 4)"));
        // lifted: the stem lifts, the branches are group convolutions, the readout is group pooling
        assertEquals(String.join(" ", "lift(C4, 3)", "sum(relu gconv(3) relu gconv(3) | gconv(3))",
                "sum(relu gconv(3, stride=2) relu gconv(3) | gconv(3, stride=2))",
                "sum(relu gconv(3, stride=2) relu gconv(3) | gconv(3, stride=2))", "avgpool(8) gpool dense"),
            NamedArchitectures.expand("wrn(10,1)@c4"));
    }

    @Test
    void wideResNetArgumentsAreChecked() {
        for (String bad : List.of("wrn(15, 1)", "wrn(4, 1)", "wrn(16, 0)", "wrn(16)", "wrn(16, 1, 2)", "wrn(x, 1)")) {
            ArchitectureException e = assertThrows(ArchitectureException.class, () -> Architecture.parse(bad), bad);
            assertTrue(e.getMessage().startsWith("layer 1 '" + bad + "': "), e.getMessage());
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
        }
    }

    @Test
    void wideResNetNeedsBranchesOrParses() {
        // before the branch and stride layers exist the expansion fails with one line naming the network and what
        // it expands to; once they are merged the expansion must parse and validate at 32x32 (this test says which)
        boolean branches = io.eqntk.layer.LayerRegistry.entries().stream().anyMatch(e -> e.name().equals("res"));
        if (branches) {
            Architecture a = Architecture.parse("wrn(16, 1)");
            assertTrue(a.validate(32, 32, 3).get(a.size()).reduced());
        } else {
            ArchitectureException e = assertThrows(ArchitectureException.class,
                () -> Architecture.parse("wrn(16, 1)"));
            assertTrue(e.getMessage().startsWith("layer 1 'wrn(16, 1)': its expansion 'conv(3) sum("),
                e.getMessage());
            assertTrue(e.getMessage().contains("does not parse here"), e.getMessage());
        }
    }

    @Test
    void badNamesGiveOneLineListingTheKnownNames() {
        ArchitectureException e = assertThrows(ArchitectureException.class,
            () -> Architecture.parse("conv(3) myrtle6"));
        assertTrue(e.getMessage().startsWith("layer 2 'myrtle6': unknown layer 'myrtle6' (known: conv"), e.getMessage());
        for (NamedArchitectures.Entry n : NamedArchitectures.entries()) {
            assertTrue(e.getMessage().contains(n.name()), n.name() + " not listed: " + e.getMessage());
        }
        assertTrue(e.getMessage().contains("gconv"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
        ArchitectureException g = assertThrows(ArchitectureException.class, () -> Architecture.parse("myrtle5@c3"));
        assertTrue(g.getMessage().startsWith("layer 1 'myrtle5@c3': unknown group 'c3'"), g.getMessage());
        ArchitectureException args = assertThrows(ArchitectureException.class,
            () -> Architecture.parse("myrtle5(2)"));
        assertTrue(args.getMessage().contains("takes no arguments"), args.getMessage());
    }

    @Test
    void readmeTableIsTheRegistrysTable() throws Exception {
        String text = Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8);
        assertTrue(text.contains(NamedArchitectures.markdownTable()),
            "README.md's network table differs from NamedArchitectures.markdownTable():\n"
                + NamedArchitectures.markdownTable());
    }

    @Test
    void everyEntryExpandsToLayersThatPrintBack() {
        for (NamedArchitectures.Entry n : NamedArchitectures.entries()) {
            if (n.name().equals("wrn")) {
                continue; // needs branch layers (see wideResNetNeedsBranchesOrParses)
            }
            Architecture a = Architecture.parse(n.name());
            for (Layer l : a.layers()) {
                assertEquals(l.spec(), Architecture.parse(l.spec()).layers().get(0).spec());
            }
            assertEquals(a, Architecture.parse(a.spec()));
        }
    }
}
