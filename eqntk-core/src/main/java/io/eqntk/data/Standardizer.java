package io.eqntk.data;

import io.eqntk.EqntkException;

/**
 * Per-channel standardisation: {@code (x - mean[c]) / std[c]}. Fit it on the training split and apply it to
 * every split. The standard deviation is the population one (divide by N); a channel with zero spread gets
 * std 1 so that it is only centred.
 */
public final class Standardizer {
    private final double[] mean;
    private final double[] std;

    public Standardizer(double[] mean, double[] std) {
        if (mean.length != std.length) {
            throw new EqntkException("standardizer needs one mean and one std per channel");
        }
        this.mean = mean.clone();
        this.std = std.clone();
    }

    /** Computes per-channel mean and std over all pixels of all images. */
    public static Standardizer fit(Images images) {
        int c = images.channels();
        double[] d = images.rawData();
        long n = (long) images.count() * images.height() * images.width();
        if (n == 0) {
            throw new EqntkException("cannot fit a standardizer on an empty split");
        }
        double[] mean = new double[c];
        for (int i = 0; i < d.length; i++) {
            mean[i % c] += d[i];
        }
        for (int k = 0; k < c; k++) {
            mean[k] /= n;
        }
        double[] var = new double[c];
        for (int i = 0; i < d.length; i++) {
            double e = d[i] - mean[i % c];
            var[i % c] += e * e;
        }
        double[] std = new double[c];
        for (int k = 0; k < c; k++) {
            double s = Math.sqrt(var[k] / n);
            std[k] = s > 1e-12 ? s : 1.0;
        }
        return new Standardizer(mean, std);
    }

    public double[] mean() {
        return mean.clone();
    }

    public double[] std() {
        return std.clone();
    }

    /** Standardises a batch with these statistics. */
    public Images apply(Images images) {
        int c = images.channels();
        if (c != mean.length) {
            throw new EqntkException("standardizer has " + mean.length + " channels but images have " + c);
        }
        double[] d = images.rawData();
        double[] out = new double[d.length];
        for (int i = 0; i < d.length; i++) {
            int k = i % c;
            out[i] = (d[i] - mean[k]) / std[k];
        }
        return images.withData(images.height(), images.width(), c, out);
    }
}
