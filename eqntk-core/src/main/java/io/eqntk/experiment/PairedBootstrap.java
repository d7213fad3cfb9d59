package io.eqntk.experiment;

import io.eqntk.EqntkException;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Paired bootstrap over test images and seeds. Two models see the same training subsets (one per seed) and the
 * same test images, so their per-image scores ({@code a[seed][image]}, for example 1 for a correct prediction
 * and 0 for a wrong one) are paired. One bootstrap replicate draws seeds with replacement and, shared by all
 * drawn seeds, test images with replacement, and takes the mean over both of {@code a - b}; the 95% interval is
 * the 2.5% and 97.5% percentiles of {@value #REPLICATES} replicates (seeded, so reproducible). Resampling the
 * images captures the test-set noise that a standard deviation over seeds leaves out; resampling the seeds
 * captures the choice of training subset. With one seed only the images are resampled.
 */
public final class PairedBootstrap {
    /** Bootstrap replicates. */
    public static final int REPLICATES = 2000;

    private PairedBootstrap() {
    }

    /**
     * A mean with its 95% bootstrap interval.
     *
     * @param mean the observed mean (over seeds and images)
     */
    public record Interval(double mean, double low, double high) {
        /** Whether the interval lies entirely above or below zero. */
        public boolean excludesZero() {
            return low > 0 || high < 0;
        }
    }

    /** The mean of {@code a - b} with its interval (seeds x images, equal shapes). */
    public static Interval difference(double[][] a, double[][] b, long seed) {
        if (a.length != b.length || a.length == 0) {
            throw new EqntkException("paired bootstrap needs the same number of seeds (>= 1) on both sides, got "
                + a.length + " and " + b.length);
        }
        double[][] d = new double[a.length][];
        for (int s = 0; s < a.length; s++) {
            if (a[s].length != b[s].length || a[s].length == 0) {
                throw new EqntkException("paired bootstrap: seed " + s + " has " + a[s].length + " and "
                    + b[s].length + " scores");
            }
            d[s] = new double[a[s].length];
            for (int i = 0; i < d[s].length; i++) {
                d[s][i] = a[s][i] - b[s][i];
            }
        }
        return mean(d, seed);
    }

    /** The mean of x (seeds x images) with its interval. */
    public static Interval mean(double[][] x, long seed) {
        int seeds = x.length;
        int m = x[0].length;
        for (double[] row : x) {
            if (row.length != m) {
                throw new EqntkException("paired bootstrap: every seed needs the same test images");
            }
        }
        double observed = 0;
        for (double[] row : x) {
            for (double v : row) {
                observed += v;
            }
        }
        observed /= (double) seeds * m;
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] reps = new double[REPLICATES];
        int[] imgs = new int[m];
        int[] sds = new int[seeds];
        for (int r = 0; r < REPLICATES; r++) {
            for (int i = 0; i < m; i++) {
                imgs[i] = rnd.nextInt(m);
            }
            for (int s = 0; s < seeds; s++) {
                sds[s] = seeds == 1 ? 0 : rnd.nextInt(seeds);
            }
            double sum = 0;
            for (int s : sds) {
                double[] row = x[s];
                for (int i : imgs) {
                    sum += row[i];
                }
            }
            reps[r] = sum / ((double) seeds * m);
        }
        Arrays.sort(reps);
        return new Interval(observed, reps[(int) Math.floor(0.025 * (REPLICATES - 1))],
            reps[(int) Math.ceil(0.975 * (REPLICATES - 1))]);
    }
}
