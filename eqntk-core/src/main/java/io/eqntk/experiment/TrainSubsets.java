package io.eqntk.experiment;

import io.eqntk.EqntkException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;

/**
 * Nested, seeded, class-balanced training subsets and their union (the pool).
 *
 * <p>For each seed one balanced ordering of the training split is drawn: the images of every class are shuffled,
 * and the ordering then takes one image of each class per round (classes in a shuffled order each round), so
 * every prefix is as balanced as possible (class counts differ by at most one while all classes have images
 * left). The subset of size n for a seed is the first n images of its ordering, so the subsets of one seed are
 * nested and the union over sizes and seeds (the pool) is at most {@code seeds x max size} images. Kernels are
 * computed once on the pool; each subset is a set of positions into it.
 */
public final class TrainSubsets {
    private final int[] pool;
    private final int[][] orderInPool;
    private final List<Integer> sizes;

    private TrainSubsets(int[] pool, int[][] orderInPool, List<Integer> sizes) {
        this.pool = pool;
        this.orderInPool = orderInPool;
        this.sizes = sizes;
    }

    /**
     * @param labels     class of every training image
     * @param numClasses the number of classes
     * @param sizes      training-set sizes, ascending
     * @param seeds      seeds 0 .. seeds-1
     * @throws EqntkException when a size exceeds the number of training images
     */
    public static TrainSubsets draw(int[] labels, int numClasses, List<Integer> sizes, int seeds) {
        int max = sizes.stream().mapToInt(Integer::intValue).max().orElseThrow();
        if (max > labels.length) {
            throw new EqntkException("training-set size " + max + " is larger than the training pool of "
                + labels.length + " images");
        }
        int[][] orders = new int[seeds][];
        TreeSet<Integer> union = new TreeSet<>();
        for (int s = 0; s < seeds; s++) {
            orders[s] = Arrays.copyOf(balancedOrder(labels, numClasses, s), max);
            for (int i : orders[s]) {
                union.add(i);
            }
        }
        int[] pool = union.stream().mapToInt(Integer::intValue).toArray();
        int[] pos = new int[labels.length];
        Arrays.fill(pos, -1);
        for (int p = 0; p < pool.length; p++) {
            pos[pool[p]] = p;
        }
        int[][] inPool = new int[seeds][max];
        for (int s = 0; s < seeds; s++) {
            for (int i = 0; i < max; i++) {
                inPool[s][i] = pos[orders[s][i]];
            }
        }
        return new TrainSubsets(pool, inPool, List.copyOf(sizes));
    }

    /** A seeded permutation of all indices whose every prefix is class-balanced (see the class comment). */
    public static int[] balancedOrder(int[] labels, int numClasses, long seed) {
        Random rnd = new Random(0x9E3779B97F4A7C15L ^ (seed * 1_000_003L + 17));
        List<List<Integer>> byClass = new ArrayList<>();
        for (int c = 0; c < numClasses; c++) {
            byClass.add(new ArrayList<>());
        }
        for (int i = 0; i < labels.length; i++) {
            byClass.get(labels[i]).add(i);
        }
        for (List<Integer> l : byClass) {
            java.util.Collections.shuffle(l, rnd);
        }
        int[] order = new int[labels.length];
        int[] next = new int[numClasses];
        List<Integer> classes = new ArrayList<>();
        for (int c = 0; c < numClasses; c++) {
            classes.add(c);
        }
        int p = 0;
        while (p < order.length) {
            java.util.Collections.shuffle(classes, rnd);
            for (int c : classes) {
                if (next[c] < byClass.get(c).size()) {
                    order[p++] = byClass.get(c).get(next[c]++);
                }
            }
        }
        return order;
    }

    /** Indices into the training split of the pool images, ascending. */
    public int[] pool() {
        return pool.clone();
    }

    public int poolSize() {
        return pool.length;
    }

    public List<Integer> sizes() {
        return sizes;
    }

    public int seeds() {
        return orderInPool.length;
    }

    /** Positions in the pool of the training subset of a size and seed (in drawing order). */
    public int[] subset(int size, int seed) {
        return Arrays.copyOf(orderInPool[seed], size);
    }
}
