package io.eqntk.data;

import io.eqntk.EqntkException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns per-split sources into a {@link Dataset}: checks that splits do not share files, carves missing
 * splits from train, applies caps, loads, and notes byte-identical files found in two splits.
 */
final class Assembler {
    private Assembler() {
    }

    /** One split of a source, not yet loaded. */
    interface Source {
        int size();

        /** Class index of every item. */
        int[] labels();

        /** The file of item i, or null when the source is an in-memory array. */
        Path path(int i);

        ImageDecoder.Loaded load(int[] indices, LoadOptions o);
    }

    /** A split backed by image files. */
    static Source files(List<Path> files, int[] labels, List<String> classNames) {
        return new Source() {
            public int size() {
                return files.size();
            }

            public int[] labels() {
                return labels;
            }

            public Path path(int i) {
                return files.get(i);
            }

            public ImageDecoder.Loaded load(int[] idx, LoadOptions o) {
                List<Path> sel = new ArrayList<>(idx.length);
                List<String> ids = new ArrayList<>(idx.length);
                int[] l = new int[idx.length];
                for (int k = 0; k < idx.length; k++) {
                    sel.add(files.get(idx[k]));
                    ids.add(files.get(idx[k]).toString());
                    l[k] = labels[idx[k]];
                }
                return ImageDecoder.decodeAll(sel, l, ids, classNames, o);
            }
        };
    }

    /**
     * A split backed by raw 8-bit pixel values [n,h,w,c] already in memory (npz, IDX).
     *
     * @param idPrefix ids are {@code idPrefix[i]}, for example {@code breastmnist.npz:train[17]}
     */
    static Source arrays(double[] pixels, int n, int h, int w, int c, int[] labels, List<String> classNames,
                         String idPrefix) {
        return new Source() {
            public int size() {
                return n;
            }

            public int[] labels() {
                return labels;
            }

            public Path path(int i) {
                return null;
            }

            public ImageDecoder.Loaded load(int[] idx, LoadOptions o) {
                int s = h * w * c;
                ImageDecoder.Decoded[] d = new ImageDecoder.Decoded[idx.length];
                List<String> ids = new ArrayList<>(idx.length);
                int[] l = new int[idx.length];
                for (int k = 0; k < idx.length; k++) {
                    double[] px = new double[s];
                    System.arraycopy(pixels, idx[k] * s, px, 0, s);
                    d[k] = ImageDecoder.finish(h, w, c, px, null, o);
                    ids.add(idPrefix + "[" + idx[k] + "]");
                    l[k] = labels[idx[k]];
                }
                return new ImageDecoder.Loaded(ImageDecoder.pack(d, l, ids, classNames, o, ids::get), null);
            }
        };
    }

    static Dataset assemble(String name, List<String> classNames, Source train, Source valid, Source test,
                            LoadOptions o) {
        if (train == null || train.size() == 0) {
            throw new EqntkException("dataset " + name + " has no training images");
        }
        checkDisjointPaths(train, valid, test);
        int k = classNames.size();
        List<String> notes = new ArrayList<>();
        int n = train.size();
        int[] all = new int[n];
        for (int i = 0; i < n; i++) {
            all[i] = i;
        }
        int[] trainIdx = all;
        int[] validIdx = null;
        int[] testIdx = null;
        Source validSrc = valid;
        Source testSrc = test;
        if (valid == null && test == null) {
            int[][] parts = Splits.carve(all, train.labels(), k, new double[]{o.testFraction(), o.validFraction()},
                    o.seed());
            testIdx = parts[0];
            validIdx = parts[1];
            trainIdx = parts[2];
            validSrc = train;
            testSrc = train;
            notes.add(String.format("no splits in source: carved train/valid/test %.0f/%.0f/%.0f%% stratified "
                            + "by class with seed %d", 100 * (1 - o.validFraction() - o.testFraction()),
                    100 * o.validFraction(), 100 * o.testFraction(), o.seed()));
        } else if (valid == null) {
            int[][] parts = Splits.carve(all, train.labels(), k, new double[]{o.validFraction()}, o.seed());
            validIdx = parts[0];
            trainIdx = parts[1];
            validSrc = train;
            notes.add(String.format("no validation split in source: carved %.0f%% of train, stratified by class "
                    + "with seed %d", 100 * o.validFraction(), o.seed()));
        } else if (test == null) {
            int[][] parts = Splits.carve(all, train.labels(), k, new double[]{o.testFraction()}, o.seed());
            testIdx = parts[0];
            trainIdx = parts[1];
            testSrc = train;
            notes.add(String.format("no test split in source: carved %.0f%% of train, stratified by class "
                    + "with seed %d", 100 * o.testFraction(), o.seed()));
        }
        if (validIdx == null) {
            validIdx = range(valid.size());
        }
        if (testIdx == null) {
            testIdx = range(test.size());
        }
        Map<String, ImageDecoder.Loaded> loaded = new LinkedHashMap<>();
        Source[] srcs = {train, validSrc, testSrc};
        int[][] idxs = {trainIdx, validIdx, testIdx};
        String[] names = {Dataset.TRAIN, Dataset.VALID, Dataset.TEST};
        for (int s = 0; s < 3; s++) {
            int[] idx = idxs[s];
            int cap = o.cap(names[s]);
            if (cap > 0 && cap < idx.length) {
                int[] lab = new int[idx.length];
                for (int i = 0; i < idx.length; i++) {
                    lab[i] = srcs[s].labels()[idx[i]];
                }
                idx = Splits.cap(idx, lab, k, cap, o.seed() * 31 + s + 1);
                notes.add(names[s] + " capped to " + cap + " of " + idxs[s].length
                        + " images (stratified by class, seed " + o.seed() + ")");
            }
            loaded.put(names[s], srcs[s].load(idx, o));
        }
        String dup = duplicateContentNote(loaded);
        if (dup != null) {
            notes.add(dup);
        }
        Images tr = loaded.get(Dataset.TRAIN).images();
        Images va = loaded.get(Dataset.VALID).images();
        Images te = loaded.get(Dataset.TEST).images();
        // gray/colour mixed across splits (KEEP): promote to RGB
        int c = Math.max(tr.channels(), Math.max(va.count() > 0 ? va.channels() : 1, te.count() > 0 ? te.channels() : 1));
        tr = adopt(tr, tr, c);
        va = adopt(va, tr, c);
        te = adopt(te, tr, c);
        for (Images x : List.of(va, te)) {
            if (x.count() > 0 && (x.height() != tr.height() || x.width() != tr.width())) {
                throw new EqntkException("images of different sizes and no resize requested: " + x.ids().get(0)
                        + " is " + x.width() + "x" + x.height() + " but " + tr.ids().get(0) + " is " + tr.width()
                        + "x" + tr.height() + " (set an image size to resize)");
            }
        }
        return new Dataset(name, tr, va, te, classNames, notes, valid == null);
    }

    private static Images adopt(Images x, Images ref, int c) {
        if (x.count() == 0) {
            return Images.wrap(0, ref.height(), ref.width(), c, new double[0], new int[0], List.of(),
                    x.classNames());
        }
        return x.channels() == c ? x : Preprocess.toRgb(x);
    }

    private static int[] range(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            r[i] = i;
        }
        return r;
    }

    private static void checkDisjointPaths(Source train, Source valid, Source test) {
        Map<Path, String> seen = new HashMap<>();
        String[] names = {Dataset.TRAIN, Dataset.VALID, Dataset.TEST};
        Source[] srcs = {train, valid, test};
        for (int s = 0; s < 3; s++) {
            if (srcs[s] == null) {
                continue;
            }
            for (int i = 0; i < srcs[s].size(); i++) {
                Path p = srcs[s].path(i);
                if (p == null) {
                    break;
                }
                Path key = p.toAbsolutePath().normalize();
                String prev = seen.putIfAbsent(key, names[s]);
                if (prev != null) {
                    throw new EqntkException(prev.equals(names[s])
                            ? "file " + p + " is listed twice in the " + prev + " split"
                            : "file " + p + " is in two splits: " + prev + " and " + names[s]);
                }
            }
        }
    }

    /**
     * Byte-identical files in two splits are reported as a note, not an error: real datasets contain them
     * (pcam-1000 has 7 pairs of identical PNGs across its official splits, MedNIST has duplicate JPEGs), and
     * the same path in two splits is already an error.
     */
    private static String duplicateContentNote(Map<String, ImageDecoder.Loaded> loaded) {
        Map<String, String[]> seen = new HashMap<>();
        int pairs = 0;
        String first = null;
        for (Map.Entry<String, ImageDecoder.Loaded> e : loaded.entrySet()) {
            String[] hashes = e.getValue().hashes();
            if (hashes == null) {
                continue;
            }
            List<String> ids = e.getValue().images().ids();
            for (int i = 0; i < hashes.length; i++) {
                String[] prev = seen.putIfAbsent(hashes[i], new String[]{e.getKey(), ids.get(i)});
                if (prev != null && !prev[0].equals(e.getKey())) {
                    pairs++;
                    if (first == null) {
                        first = prev[1] + " (" + prev[0] + ") = " + ids.get(i) + " (" + e.getKey() + ")";
                    }
                }
            }
        }
        return pairs == 0 ? null : "warning: " + pairs + " image file(s) byte-identical to a file of another split,"
                + " for example " + first;
    }
}
