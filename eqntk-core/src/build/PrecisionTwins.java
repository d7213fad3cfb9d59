import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Writes the float32 sources of eqntk's kernel engine from their float64 templates (the float64 classes are written
 * by hand and the float32 ones generated, as EJML does with its double and float classes). Maven runs it in the
 * generate-sources phase of eqntk-core (single-file source launch, so it needs no build of its own):
 *
 * <pre>java PrecisionTwins.java SOURCE_ROOT OUTPUT_ROOT [LIBRARY_ROOT ...]</pre>
 *
 * <p>A template is a Java file under SOURCE_ROOT whose first line is {@code // float32 twin: NAME ...}; its twin
 * {@code NAME.java} goes to the same package under OUTPUT_ROOT (target/generated-sources/float32), with that line
 * and the line comments right after it (notes for the template's readers) replaced by a notice naming the
 * template. Twins are written only when their text changes, and files under
 * OUTPUT_ROOT that no template produces any more are deleted. A LIBRARY_ROOT holds the sources of a module that
 * SOURCE_ROOT's module builds on (eqntk-bench names eqntk-core's): its templates and tables are known to the
 * rewrites (a twin calls the twins of the library's templates), but their twins are the library's own build's. The
 * rewrites, all on whole tokens, none inside
 * string or character literals:
 *
 * <ol>
 * <li>names: a template's name becomes its twin's; any other identifier starting {@code Float64} starts
 *     {@code Float32} instead (the hand-written per-precision tables, below);</li>
 * <li>types: the keyword {@code double} becomes {@code float} (so a cast {@code (double)}, redundant in a template,
 *     marks where the float32 code rounds a double value), and an identifier starting {@code Double} starts
 *     {@code Float} ({@code DoubleVector}, {@code VectorSpecies<Double>}); a line ending in
 *     {@code // float32 keeps double} keeps its doubles (an API in double, a sum accumulated in double);</li>
 * <li>literals: a floating-point literal in code gets the suffix {@code f} ({@code 0.5} becomes {@code 0.5f});</li>
 * <li>tables: a hand-written {@code Float32X} beside {@code Float64X} declares the float32 values under the same
 *     names (shorter polynomials, thresholds in float ulps). A line that names a member {@code Float32X.NAME}
 *     which {@code Float32X} does not declare is left out; only a Horner step ({@code p = p.fma(...);}) may be,
 *     so that a shorter polynomial drops its highest terms and nothing else goes silently.</li>
 * </ol>
 *
 * Rules 1 and 2 apply to comments too (so that links and prose name the float32 classes). The generator rejects
 * a template that has {@code float}, {@code Float...} or a float literal in its code: templates are written in
 * double, the precision the rules rewrite from.
 */
public final class PrecisionTwins {
    private static final Pattern HEADER = Pattern.compile("^// float32 twin: (\\w+)\\b.*$");
    private static final String KEEP = "// float32 keeps double";
    private static final Pattern HORNER_STEP = Pattern.compile("^\\s*(\\w+)\\s*=\\s*\\1\\.fma\\(.*\\);\\s*$");
    private static final Pattern TABLE_REF = Pattern.compile("\\b(Float32\\w*)\\s*\\.\\s*([A-Za-z_$][\\w$]*)");
    private static final Pattern FIELD = Pattern.compile(
        "^\\s*(?:(?:public|protected|private|static|final)\\s+)+[\\w$<>\\[\\], ]+?\\s+([A-Za-z_$][\\w$]*)\\s*[=;]");

    private PrecisionTwins() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: java PrecisionTwins.java SOURCE_ROOT OUTPUT_ROOT [LIBRARY_ROOT ...]");
            System.exit(2);
        }
        Path src = Path.of(args[0]);
        Path out = Path.of(args[1]);
        List<Path> libraries = new ArrayList<>();
        for (int i = 2; i < args.length; i++) {
            libraries.add(Path.of(args[i]));
        }
        try {
            write(generate(src, libraries), out);
        } catch (IllegalStateException e) {
            System.err.println("PrecisionTwins: " + e.getMessage());
            System.exit(1);
        }
    }

    /**
     * The twins of every template under {@code src}, as relative output path to text; the templates and tables under
     * {@code libraries} are known to the rewrites but get no twins here.
     */
    static Map<Path, String> generate(Path src, List<Path> libraries) throws IOException {
        Map<Path, String> sources = read(src);
        Map<String, String> twinOf = new HashMap<>();
        Map<Path, String> templates = new TreeMap<>();
        Map<String, Set<String>> tables = new HashMap<>();
        for (Path library : libraries) {
            collect(read(library), twinOf, new TreeMap<>(), tables);
        }
        collect(sources, twinOf, templates, tables);
        Map<Path, String> twins = new TreeMap<>();
        for (Map.Entry<Path, String> t : templates.entrySet()) {
            Path rel = t.getKey();
            String twin = t.getValue();
            if (sources.containsKey(rel.resolveSibling(twin + ".java"))) {
                throw new IllegalStateException(rel + ": its twin " + twin + " is also written by hand");
            }
            String text = new Template(rel, sources.get(rel), twinOf, tables).twin();
            twins.put(rel.resolveSibling(twin + ".java"), text);
        }
        return twins;
    }

    /** The Java sources under {@code root}: relative path to text. */
    private static Map<Path, String> read(Path root) throws IOException {
        Map<Path, String> sources = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".java"))::iterator) {
                sources.put(root.relativize(p), Files.readString(p, StandardCharsets.UTF_8).replace("\r\n", "\n"));
            }
        }
        return sources;
    }

    /** Adds the templates (name to twin's name, path to twin's name) and tables (name to fields) among sources. */
    private static void collect(Map<Path, String> sources, Map<String, String> twinOf, Map<Path, String> templates,
                                Map<String, Set<String>> tables) {
        for (Map.Entry<Path, String> e : sources.entrySet()) {
            String name = e.getKey().getFileName().toString().replace(".java", "");
            Matcher m = HEADER.matcher(firstLine(e.getValue()));
            if (m.matches()) {
                twinOf.put(name, m.group(1));
                templates.put(e.getKey(), m.group(1));
            } else if (name.startsWith("Float32")) {
                tables.put(name, declaredNames(e.getValue()));
            }
        }
    }

    /** Writes changed twins and deletes files no template produces. */
    static void write(Map<Path, String> twins, Path out) throws IOException {
        for (Map.Entry<Path, String> e : twins.entrySet()) {
            Path p = out.resolve(e.getKey());
            if (!Files.exists(p) || !Files.readString(p, StandardCharsets.UTF_8).equals(e.getValue())) {
                Files.createDirectories(p.getParent());
                Files.writeString(p, e.getValue(), StandardCharsets.UTF_8);
            }
        }
        if (Files.isDirectory(out)) {
            Set<Path> keep = new HashSet<>();
            twins.keySet().forEach(k -> keep.add(out.resolve(k)));
            try (Stream<Path> files = Files.walk(out)) {
                files.filter(Files::isRegularFile).filter(f -> !keep.contains(f)).forEach(f -> {
                    try {
                        Files.delete(f);
                    } catch (IOException ex) {
                        throw new UncheckedIOException(ex);
                    }
                });
            }
        }
    }

    private static String firstLine(String text) {
        int nl = text.indexOf('\n');
        return nl < 0 ? text : text.substring(0, nl);
    }

    /** The field names a table class declares (one declaration a line). */
    private static Set<String> declaredNames(String text) {
        Set<String> names = new HashSet<>();
        for (String line : text.split("\n", -1)) {
            Matcher m = FIELD.matcher(line);
            if (m.find()) {
                names.add(m.group(1));
            }
        }
        return names;
    }

    /** One template being rewritten, line by line, with the lexer state carried across lines. */
    private static final class Template {
        private final Path path;
        private final String text;
        private final Map<String, String> twinOf;
        private final Map<String, Set<String>> tables;
        /** Inside a block comment at the start of the current line. */
        private boolean inComment;

        Template(Path path, String text, Map<String, String> twinOf, Map<String, Set<String>> tables) {
            this.path = path;
            this.text = text;
            this.twinOf = twinOf;
            this.tables = tables;
        }

        String twin() {
            String[] lines = text.split("\n", -1);
            List<String> out = new ArrayList<>();
            out.add("// GENERATED from " + path.getFileName()
                + " by eqntk-core/src/build/PrecisionTwins.java: edit the template, not this file.");
            int start = 1;
            while (start < lines.length && lines[start].startsWith("//")) {
                // the header's further lines are notes for readers of the template
                start++;
            }
            for (int i = start; i < lines.length; i++) {
                String line = rewrite(lines[i], i + 1);
                if (line != null) {
                    out.add(line);
                }
            }
            return String.join("\n", out);
        }

        /** The rewritten line, or null when it is a Horner step past the end of a float32 table. */
        private String rewrite(String line, int number) {
            boolean keep = line.stripTrailing().endsWith(KEEP);
            StringBuilder b = new StringBuilder();
            int i = 0;
            int n = line.length();
            while (i < n) {
                char c = line.charAt(i);
                if (inComment) {
                    int end = line.indexOf("*/", i);
                    int stop = end < 0 ? n : end + 2;
                    b.append(words(line.substring(i, stop), keep, number, false));
                    inComment = end < 0;
                    i = stop;
                } else if (line.startsWith("//", i)) {
                    b.append(words(line.substring(i), keep, number, false));
                    i = n;
                } else if (line.startsWith("/*", i)) {
                    inComment = true;
                    b.append("/*");
                    i += 2;
                } else if (c == '"' || c == '\'') {
                    if (line.startsWith("\"\"\"", i)) {
                        throw new IllegalStateException(path + ":" + number + ": text blocks are not supported");
                    }
                    int j = i + 1;
                    while (j < n && line.charAt(j) != c) {
                        j += line.charAt(j) == '\\' ? 2 : 1;
                    }
                    b.append(line, i, Math.min(j + 1, n));
                    i = j + 1;
                } else {
                    int j = i;
                    while (j < n && !line.startsWith("//", j) && !line.startsWith("/*", j) && line.charAt(j) != '"'
                        && line.charAt(j) != '\'') {
                        j++;
                    }
                    b.append(words(line.substring(i, j), keep, number, true));
                    i = j;
                }
            }
            String result = b.toString();
            Matcher ref = TABLE_REF.matcher(result);
            while (ref.find()) {
                Set<String> declared = tables.get(ref.group(1));
                if (declared != null && !declared.contains(ref.group(2))) {
                    if (HORNER_STEP.matcher(result).matches()) {
                        return null;
                    }
                    throw new IllegalStateException(path + ":" + number + ": " + ref.group(1) + " declares no "
                        + ref.group(2) + " (only a Horner step may name a term past a table's end)");
                }
            }
            return result;
        }

        /** Rules 1 to 3 on a run of code ({@code code}) or comment text. */
        private String words(String s, boolean keep, int number, boolean code) {
            StringBuilder b = new StringBuilder();
            int i = 0;
            int n = s.length();
            while (i < n) {
                char c = s.charAt(i);
                if (Character.isJavaIdentifierStart(c)) {
                    int j = i + 1;
                    while (j < n && Character.isJavaIdentifierPart(s.charAt(j))) {
                        j++;
                    }
                    b.append(name(s.substring(i, j), keep, number, code));
                    i = j;
                } else if (code && (Character.isDigit(c) || c == '.' && i + 1 < n && Character.isDigit(s.charAt(i + 1)))) {
                    int j = literalEnd(s, i);
                    b.append(literal(s.substring(i, j), number));
                    i = j;
                } else {
                    b.append(c);
                    i++;
                }
            }
            return b.toString();
        }

        private String name(String id, boolean keep, int number, boolean code) {
            if (code && (id.equals("float") || id.startsWith("Float") && !id.startsWith("Float64"))) {
                throw new IllegalStateException(path + ":" + number + ": '" + id
                    + "' in a template: templates are written in double");
            }
            if (twinOf.containsKey(id)) {
                return twinOf.get(id);
            }
            if (id.startsWith("Float64")) {
                return "Float32" + id.substring(7);
            }
            if (!keep && id.equals("double")) {
                return "float";
            }
            if (id.startsWith("Double")) {
                return "Float" + id.substring(6);
            }
            return id;
        }

        /** A numeric literal: floating-point ones get the suffix f (hex digits a to f are no suffix). */
        private String literal(String lit, int number) {
            String lower = lit.toLowerCase();
            boolean hex = lower.startsWith("0x");
            if (hex && !lower.contains("p")) {
                return lit;
            }
            char last = lower.charAt(lower.length() - 1);
            if (last == 'f') {
                throw new IllegalStateException(path + ":" + number + ": float literal " + lit
                    + " in a template: templates are written in double");
            }
            boolean floating = hex || last == 'd' || lower.contains(".") || lower.contains("e");
            if (!floating || last == 'l') {
                return lit;
            }
            return (last == 'd' ? lit.substring(0, lit.length() - 1) : lit) + "f";
        }

        /** The end of the numeric literal starting at {@code i}. */
        private static int literalEnd(String s, int i) {
            int n = s.length();
            boolean hex = s.startsWith("0x", i) || s.startsWith("0X", i);
            int j = hex ? i + 2 : i;
            while (j < n) {
                char c = Character.toLowerCase(s.charAt(j));
                boolean exponent = hex ? c == 'p' : c == 'e';
                if (exponent && j + 1 < n && (s.charAt(j + 1) == '+' || s.charAt(j + 1) == '-')) {
                    j += 2;
                } else if (Character.isLetterOrDigit(c) || c == '_' || c == '.') {
                    j++;
                } else {
                    break;
                }
            }
            return j;
        }
    }
}
