package io.eqntk.layer;

import io.eqntk.arch.Architecture;
import io.eqntk.model.ArchitectureException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The registry is the one list of layer names: parser, errors and the README's table follow it. */
class LayerRegistryTest {
    @Test
    void readmeTableIsTheRegistrysTable() throws Exception {
        Path readme = Path.of("..", "README.md");
        String text = Files.readString(readme, StandardCharsets.UTF_8);
        assertTrue(text.contains(LayerRegistry.markdownTable()),
            "README.md's layer table differs from LayerRegistry.markdownTable():\n" + LayerRegistry.markdownTable());
        for (LayerRegistry.Entry e : LayerRegistry.entries()) {
            assertTrue(text.contains("| `" + e.name() + "` |"), e.name() + " missing from the README table");
        }
    }

    @Test
    void everyEntryParsesAndPrintsBack() {
        for (LayerRegistry.Entry e : LayerRegistry.entries()) {
            String example = example(e.name());
            Layer l = Architecture.parse(example).layers().get(example.startsWith("lift") ? 0 : 0);
            assertEquals(e.name(), l.spec().replaceAll("\\(.*", ""), example);
            assertEquals(l.spec(), Architecture.parse(l.spec()).layers().get(0).spec());
        }
    }

    @Test
    void unknownNameListsEveryRegisteredName() {
        ArchitectureException e = assertThrows(ArchitectureException.class,
            () -> Architecture.parse("conv(3) swishy gap dense"));
        assertTrue(e.getMessage().contains("layer 2 'swishy': unknown layer 'swishy'"), e.getMessage());
        for (LayerRegistry.Entry entry : LayerRegistry.entries()) {
            assertTrue(e.getMessage().contains(entry.name()), entry.name() + " not listed: " + e.getMessage());
        }
    }

    /** A valid use of each layer name with its required arguments. */
    private static String example(String name) {
        switch (name) {
            case "conv":
            case "gconv":
                return name + "(3)";
            case "lift":
                return "lift(C4, 3)";
            case "avgpool":
                return "avgpool(2)";
            case "leakyrelu":
                return "leakyrelu(0.1)";
            case "abrelu":
                return "abrelu(-0.5, 2)";
            case "res":
                return "res(conv(3) relu conv(3))";
            case "sum":
            case "concat":
                return name + "(conv(3) | conv(5) relu conv(3))";

            case "relumono":
                return "relumono(2)";
            case "monomial":
            case "hermite":
                return name + "(3)";
            case "sin":
            case "cos":
                return name + "(0.5, a=2, b=0.7)";
            case "layernorm":
                return "layernorm(all)";
            case "s2lift":
            case "so3conv":
                return name + "(4, 0.5)";
            default:
                return name;
        }
    }
}
