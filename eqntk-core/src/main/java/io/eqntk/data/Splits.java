package io.eqntk.data;

import java.util.Arrays;
import java.util.Random;

/** Seeded, class-stratified sampling and carving of index sets. */
final class Splits {
    private Splits() {
    }

    static void shuffle(int[] a, Random rnd) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /** Per-class counts summing to {@code total}, proportional to {@code counts} (largest remainder, ties to lower class). */
    static int[] allocate(int[] counts, int total) {
        long n = 0;
        for (int c : counts) {
            n += c;
        }
        int[] out = new int[counts.length];
        if (n == 0) {
            return out;
        }
        double[] rem = new double[counts.length];
        int given = 0;
        for (int c = 0; c < counts.length; c++) {
            double exact = (double) total * counts[c] / n;
            out[c] = (int) Math.floor(exact);
            rem[c] = exact - out[c];
            given += out[c];
        }
        while (given < total) {
            int best = -1;
            for (int c = 0; c < counts.length; c++) {
                if (out[c] < counts[c] && (best < 0 || rem[c] > rem[best] + 1e-12)) {
                    best = c;
                }
            }
            out[best]++;
            rem[best] = -1;
            given++;
        }
        return out;
    }

    /**
     * Partitions {@code indices} (with their labels) into parts: part p gets round(fraction[p] * n) items,
     * stratified by class; the last part gets the rest. Each part is sorted ascending.
     */
    static int[][] carve(int[] indices, int[] labelsOfIndices, int numClasses, double[] fractions, long seed) {
        int n = indices.length;
        int[][] byClass = byClass(indices, labelsOfIndices, numClasses);
        int[] counts = new int[numClasses];
        for (int c = 0; c < numClasses; c++) {
            counts[c] = byClass[c].length;
        }
        Random rnd = new Random(seed);
        for (int[] cls : byClass) {
            shuffle(cls, rnd);
        }
        int parts = fractions.length + 1;
        int[][] alloc = new int[parts][];
        int[] remaining = counts.clone();
        for (int p = 0; p < fractions.length; p++) {
            int want = (int) Math.round(fractions[p] * n);
            alloc[p] = allocate(counts, want);
            for (int c = 0; c < numClasses; c++) {
                alloc[p][c] = Math.min(alloc[p][c], remaining[c]);
                remaining[c] -= alloc[p][c];
            }
        }
        alloc[parts - 1] = remaining;
        int[][] out = new int[parts][];
        int[] pos = new int[numClasses];
        for (int p = 0; p < parts; p++) {
            int total = Arrays.stream(alloc[p]).sum();
            int[] part = new int[total];
            int k = 0;
            for (int c = 0; c < numClasses; c++) {
                System.arraycopy(byClass[c], pos[c], part, k, alloc[p][c]);
                pos[c] += alloc[p][c];
                k += alloc[p][c];
            }
            Arrays.sort(part);
            out[p] = part;
        }
        return out;
    }

    /** A seeded, class-stratified sample of {@code cap} of the given indices (all if cap is 0 or >= n), sorted. */
    static int[] cap(int[] indices, int[] labelsOfIndices, int numClasses, int cap, long seed) {
        if (cap <= 0 || cap >= indices.length) {
            return indices;
        }
        int[][] byClass = byClass(indices, labelsOfIndices, numClasses);
        int[] counts = new int[numClasses];
        for (int c = 0; c < numClasses; c++) {
            counts[c] = byClass[c].length;
        }
        int[] alloc = allocate(counts, cap);
        Random rnd = new Random(seed);
        int[] out = new int[cap];
        int k = 0;
        for (int c = 0; c < numClasses; c++) {
            shuffle(byClass[c], rnd);
            System.arraycopy(byClass[c], 0, out, k, alloc[c]);
            k += alloc[c];
        }
        Arrays.sort(out);
        return out;
    }

    private static int[][] byClass(int[] indices, int[] labels, int numClasses) {
        int[] counts = new int[numClasses];
        for (int l : labels) {
            counts[l]++;
        }
        int[][] out = new int[numClasses][];
        for (int c = 0; c < numClasses; c++) {
            out[c] = new int[counts[c]];
        }
        int[] pos = new int[numClasses];
        for (int i = 0; i < indices.length; i++) {
            out[labels[i]][pos[labels[i]]++] = indices[i];
        }
        return out;
    }
}
