package io.eqntk.finite;

import io.eqntk.model.FeatureShape;
import io.eqntk.group.PointGroup;

import java.util.Random;

/** Small shared helpers for the finite-network tests. */
public final class FiniteTestSupport {
    private FiniteTestSupport() {
    }

    public static double[] gaussian(int n, long seed) {
        Random r = new Random(seed);
        double[] d = new double[n];
        for (int i = 0; i < d.length; i++) {
            d[i] = r.nextGaussian();
        }
        return d;
    }

    public static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    public static double maxAbsDiff(double[] a, double[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("lengths " + a.length + " and " + b.length);
        }
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }

    public static double maxAbs(double[] a) {
        double m = 0;
        for (double v : a) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    /**
     * The group map [|G|, m, m, C] that an equivariant layer should produce for the input g·x, given its output
     * {@code f} for x: {@code out(h, t) = f(g h, g t)}, i.e. block h is block g*h moved spatially by
     * transformImage(g, ., m, C) (which reads position g t).
     */
    public static double[] transformGroupMap(PointGroup group, int g, double[] f, FeatureShape shape) {
        if (shape.groupSize() != group.order()) {
            throw new IllegalArgumentException("not a " + group + " map: " + shape);
        }
        int c = shape.channels();
        int block = shape.height() * shape.width() * c;
        double[] out = new double[f.length];
        for (int h = 0; h < group.order(); h++) {
            int src = group.multiply(g, h);
            double[] b = new double[block];
            System.arraycopy(f, src * block, b, 0, block);
            System.arraycopy(group.transformImage(g, b, shape.height(), shape.width(), c), 0, out, h * block, block);
        }
        return out;
    }
}
