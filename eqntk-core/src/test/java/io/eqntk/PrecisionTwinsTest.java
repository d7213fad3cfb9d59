package io.eqntk;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The rules of the float32 source generator (eqntk-core/src/build/PrecisionTwins.java), run as the build runs it,
 * on small template trees: each rule's rewrite, and the templates it refuses.
 */
class PrecisionTwinsTest {
    private static final Path GENERATOR = Path.of("src/build/PrecisionTwins.java");

    @Test
    void rewritesTypesNamesLiteralsAndDropsHornerStepsPastTheTable(@TempDir Path dir) throws Exception {
        Path src = dir.resolve("src");
        write(src.resolve("demo/Demo.java"), List.of(
            "// float32 twin: Demo32, generated",
            "// (a note for the template's readers)",
            "package demo;",
            "",
            "import jdk.incubator.vector.DoubleVector;",
            "",
            "/** Demo in double precision, see {@link Float64Table} and {@link Helper}. */",
            "final class Demo {",
            "    static final double HALF_PI = (double) (Math.PI / 2);",
            "    static DoubleVector p(DoubleVector w) {",
            "        DoubleVector p = DoubleVector.broadcast(S, Float64Table.C0);",
            "        p = p.fma(w, DoubleVector.broadcast(S, Float64Table.C1));",
            "        p = p.fma(w, DoubleVector.broadcast(S, Float64Table.C2));",
            "        return p;",
            "    }",
            "    static double sum( // float32 keeps double",
            "        double[] a) {",
            "        String s = \"double 1.5\" + 'd';",
            "        double x = 1.5e-3 + 0x1p-3 + 2d + 0xff + 3L + 4 + .5; /* 0.5 */",
            "        return Helper.twice(x) + Float64Table.C1 + a[0];",
            "    }",
            "}"));
        template(src, "Helper", "    static double twice(double x) {", "        return 2 * x;", "    }");
        table(src, "C0 = 0.25f", "C1 = 0.5f");
        Path out = dir.resolve("out");
        write(out.resolve("demo/Stale32.java"), List.of("// from a template that is gone"));
        assertEquals(0, run(src, out).exitCode, "generator failed");
        assertEquals(List.of(
            "// GENERATED from Demo.java by eqntk-core/src/build/PrecisionTwins.java: edit the template, not this file.",
            "package demo;",
            "",
            "import jdk.incubator.vector.FloatVector;",
            "",
            "/** Demo32 in float precision, see {@link Float32Table} and {@link Helper32}. */",
            "final class Demo32 {",
            "    static final float HALF_PI = (float) (Math.PI / 2);",
            "    static FloatVector p(FloatVector w) {",
            "        FloatVector p = FloatVector.broadcast(S, Float32Table.C0);",
            "        p = p.fma(w, FloatVector.broadcast(S, Float32Table.C1));",
            "        return p;",
            "    }",
            "    static double sum( // float32 keeps double",
            "        float[] a) {",
            "        String s = \"double 1.5\" + 'd';",
            "        float x = 1.5e-3f + 0x1p-3f + 2f + 0xff + 3L + 4 + .5f; /* 0.5 */",
            "        return Helper32.twice(x) + Float32Table.C1 + a[0];",
            "    }",
            "}"), Files.readAllLines(out.resolve("demo/Demo32.java")));
        assertTrue(Files.exists(out.resolve("demo/Helper32.java")));
        assertFalse(Files.exists(out.resolve("demo/Stale32.java")), "a twin no template produces is deleted");
        assertFalse(Files.exists(out.resolve("demo/Float32Table32.java")), "tables are not templates");
    }

    @Test
    void refusesFloatInTemplatesAndMissingTableMembersOutsideHornerSteps(@TempDir Path dir) throws Exception {
        Path src = dir.resolve("src");
        template(src, "Bad",
            "    static double f(double x) {",
            "        return x + Float64Table.C0 + Float64Table.C7;",
            "    }",
            "    static float g(float x) {",
            "        return x;",
            "    }");
        table(src, "C0 = 0.25f");
        Result r = run(src, dir.resolve("out"));
        assertEquals(1, r.exitCode);
        // the first problem found: line 6 names a member the float32 table lacks, and it is no Horner step
        assertTrue(r.stderr.contains("demo/Bad.java:6: Float32Table declares no C7"), r.stderr);
        Files.writeString(src.resolve("demo/Bad.java"), Files.readString(src.resolve("demo/Bad.java"))
            .replace(" + Float64Table.C7", ""));
        r = run(src, dir.resolve("out"));
        assertEquals(1, r.exitCode);
        assertTrue(r.stderr.contains("demo/Bad.java:8: 'float' in a template"), r.stderr);
    }

    @Test
    void knowsALibrarysTemplatesAndTablesButWritesNoTwinsForThem(@TempDir Path dir) throws Exception {
        Path lib = dir.resolve("lib");
        template(lib, "Helper", "    static double twice(double x) {", "        return 2 * x;", "    }");
        table(lib, "C0 = 0.25f");
        Path src = dir.resolve("src");
        template(src, "Timing",
            "    static double f(double x) {",
            "        double p = Helper.twice(x) + Float64Table.C0;",
            "        p = p.fma(x, Float64Table.C1);",
            "        return p;",
            "    }");
        Path out = dir.resolve("out");
        assertEquals(0, run(src, out, lib).exitCode, "generator failed");
        assertEquals(List.of(
            "// GENERATED from Timing.java by eqntk-core/src/build/PrecisionTwins.java: edit the template, not this file.",
            "package demo;",
            "",
            "final class Timing32 {",
            "    static float f(float x) {",
            "        float p = Helper32.twice(x) + Float32Table.C0;",
            "        return p;",
            "    }",
            "}"), Files.readAllLines(out.resolve("demo/Timing32.java")));
        assertFalse(Files.exists(out.resolve("demo/Helper32.java")), "the library's twins are its own build's");
    }

    /** A template demo/NAME.java of twin NAME32 with these members. */
    private static void template(Path src, String name, String... members) throws IOException {
        List<String> lines = new ArrayList<>(List.of("// float32 twin: " + name + "32", "package demo;", "",
            "final class " + name + " {"));
        lines.addAll(List.of(members));
        lines.add("}");
        write(src.resolve("demo/" + name + ".java"), lines);
    }

    /** The hand-written float32 table demo/Float32Table.java declaring these float fields. */
    private static void table(Path src, String... fields) throws IOException {
        List<String> lines = new ArrayList<>(List.of("package demo;", "", "final class Float32Table {"));
        for (String f : fields) {
            lines.add("    static final float " + f + ";");
        }
        lines.add("}");
        write(src.resolve("demo/Float32Table.java"), lines);
    }

    private static void write(Path file, List<String> lines) throws IOException {
        Files.createDirectories(file.getParent());
        Files.write(file, lines, StandardCharsets.UTF_8);
    }

    private record Result(int exitCode, String stderr) {
    }

    private static Result run(Path src, Path out, Path... libraries) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString(), GENERATOR.toString(), src.toString(),
            out.toString()));
        for (Path l : libraries) {
            command.add(l.toString());
        }
        Process p = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Result(p.waitFor(), err);
    }
}
