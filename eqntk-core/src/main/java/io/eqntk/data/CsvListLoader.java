package io.eqntk.data;

import io.eqntk.EqntkException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Loads images listed in CSV files with a header naming a file column ({@code filename}, {@code file},
 * {@code path} or {@code image}) and a label column ({@code label}, {@code class} or {@code target}).
 *
 * <p>The source is either a folder holding (directly or one folder down) CSVs whose names contain
 * {@code train}, {@code val} and {@code test} (preferring names that also contain {@code label}), as in
 * pcam-1000 ({@code data/train_labels.csv}, ...), or a single CSV file, in which case all splits are carved.
 * A listed file name is resolved against the dataset root (the given folder, or the single CSV's folder)
 * and, failing that, against the CSV's own folder. Labels may be integers (classes sorted numerically) or
 * strings (sorted); the training CSV defines the classes and a label of another split that is not among them
 * is an error.
 */
public final class CsvListLoader implements DatasetLoader {
    private static final Set<String> FILE_COLS = Set.of("filename", "file", "path", "image", "file_name",
            "image_path", "filepath");
    private static final Set<String> LABEL_COLS = Set.of("label", "class", "target", "y");

    private record Row(Path file, String label, Path csv, int line) {
    }

    /** The CSV of each split found in a folder (train required); null when none is found. */
    static Map<String, Path> findSplitCsvs(Path dir) {
        List<Path> csvs = new ArrayList<>();
        try (Stream<Path> s = Files.walk(dir, 2)) {
            s.filter(Files::isRegularFile)
                    .filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".csv"))
                    .sorted(Comparator.comparing(Path::toString))
                    .forEach(csvs::add);
        } catch (IOException e) {
            throw new EqntkException("cannot list folder " + dir + ": " + e.getMessage(), e);
        }
        Map<String, Path> out = new LinkedHashMap<>();
        for (String split : List.of(Dataset.TRAIN, Dataset.VALID, Dataset.TEST)) {
            String key = split.equals(Dataset.VALID) ? "val" : split;
            List<Path> match = csvs.stream()
                    .filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).contains(key)).toList();
            List<Path> labelled = match.stream()
                    .filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).contains("label")).toList();
            if (!labelled.isEmpty()) {
                match = labelled;
            }
            if (match.size() > 1) {
                throw new EqntkException("folder " + dir + " has several " + split + " CSV files: " + match);
            }
            if (match.size() == 1) {
                out.put(split, match.get(0));
            }
        }
        return out.containsKey(Dataset.TRAIN) ? out : null;
    }

    @Override
    public Dataset load(String name, Path source, LoadOptions options) {
        if (Files.isRegularFile(source)) {
            List<Row> rows = readCsv(source, source.toAbsolutePath().getParent());
            List<String> classes = classNames(rows);
            return Assembler.assemble(name, classes, toSource(rows, classes, source), null, null, options);
        }
        if (!Files.isDirectory(source)) {
            throw new EqntkException("CSV dataset not found: " + source);
        }
        Map<String, Path> csvs = findSplitCsvs(source);
        if (csvs == null) {
            throw new EqntkException("folder " + source + " has no training CSV (a .csv file whose name contains "
                    + "'train')");
        }
        Map<String, List<Row>> rows = new LinkedHashMap<>();
        for (Map.Entry<String, Path> e : csvs.entrySet()) {
            rows.put(e.getKey(), readCsv(e.getValue(), source));
        }
        List<String> classes = classNames(rows.get(Dataset.TRAIN));
        Assembler.Source train = toSource(rows.get(Dataset.TRAIN), classes, csvs.get(Dataset.TRAIN));
        Assembler.Source valid = rows.containsKey(Dataset.VALID)
                ? toSource(rows.get(Dataset.VALID), classes, csvs.get(Dataset.VALID)) : null;
        Assembler.Source test = rows.containsKey(Dataset.TEST)
                ? toSource(rows.get(Dataset.TEST), classes, csvs.get(Dataset.TEST)) : null;
        return Assembler.assemble(name, classes, train, valid, test, options);
    }

    private static Assembler.Source toSource(List<Row> rows, List<String> classes, Path csv) {
        List<Path> files = new ArrayList<>(rows.size());
        int[] labels = new int[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            int idx = classes.indexOf(r.label());
            if (idx < 0) {
                throw new EqntkException("unknown label '" + r.label() + "' in " + r.csv() + " line " + r.line()
                        + " (classes of the training CSV: " + classes + ")");
            }
            files.add(r.file());
            labels[i] = idx;
        }
        if (files.isEmpty()) {
            throw new EqntkException("CSV file " + csv + " lists no images");
        }
        return Assembler.files(files, labels, classes);
    }

    /** Sorted class names: numerically when all labels are integers, else lexicographically. */
    static List<String> classNames(List<Row> rows) {
        Set<String> distinct = new TreeSet<>();
        for (Row r : rows) {
            distinct.add(r.label());
        }
        boolean numeric = distinct.stream().allMatch(s -> s.matches("-?\\d{1,18}"));
        List<String> out = new ArrayList<>(distinct);
        if (numeric) {
            out.sort(Comparator.comparingLong(Long::parseLong));
        }
        return out;
    }

    private static List<Row> readCsv(Path csv, Path root) {
        List<String> lines;
        try {
            lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new EqntkException("cannot read CSV file " + csv + ": " + e.getMessage(), e);
        }
        if (lines.isEmpty()) {
            throw new EqntkException("CSV file " + csv + " is empty");
        }
        List<String> header = split(stripBom(lines.get(0)));
        int fileCol = -1;
        int labelCol = -1;
        for (int i = 0; i < header.size(); i++) {
            String h = header.get(i).trim().toLowerCase(Locale.ROOT);
            if (fileCol < 0 && FILE_COLS.contains(h)) {
                fileCol = i;
            } else if (labelCol < 0 && LABEL_COLS.contains(h)) {
                labelCol = i;
            }
        }
        if (fileCol < 0 || labelCol < 0) {
            throw new EqntkException("CSV file " + csv + " needs a header with a file column (filename) and a "
                    + "label column (label); found " + header);
        }
        Path csvDir = csv.toAbsolutePath().getParent();
        List<Row> rows = new ArrayList<>();
        for (int ln = 1; ln < lines.size(); ln++) {
            String line = lines.get(ln);
            if (line.isBlank()) {
                continue;
            }
            List<String> f = split(line);
            if (f.size() <= Math.max(fileCol, labelCol)) {
                throw new EqntkException("CSV file " + csv + " line " + (ln + 1) + " has " + f.size()
                        + " fields, expected at least " + (Math.max(fileCol, labelCol) + 1));
            }
            String name = f.get(fileCol).trim();
            String label = f.get(labelCol).trim();
            if (name.isEmpty() || label.isEmpty()) {
                throw new EqntkException("CSV file " + csv + " line " + (ln + 1) + " has an empty file name or label");
            }
            Path p = root.resolve(name);
            if (!Files.isRegularFile(p)) {
                Path alt = csvDir.resolve(name);
                if (!Files.isRegularFile(alt)) {
                    throw new EqntkException("image file " + name + " listed in " + csv + " line " + (ln + 1)
                            + " does not exist (looked in " + root + " and " + csvDir + ")");
                }
                p = alt;
            }
            rows.add(new Row(p, label, csv, ln + 1));
        }
        return rows;
    }

    private static String stripBom(String s) {
        return s.startsWith("\uFEFF") ? s.substring(1) : s;
    }

    /** Splits one CSV line on commas, honouring double quotes. */
    static List<String> split(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (quoted) {
                if (ch == '"') {
                    if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
                        cur.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    cur.append(ch);
                }
            } else if (ch == '"') {
                quoted = true;
            } else if (ch == ',') {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(ch);
            }
        }
        out.add(cur.toString());
        return out;
    }
}
