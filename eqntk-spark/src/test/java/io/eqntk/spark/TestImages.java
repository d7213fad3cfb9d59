package io.eqntk.spark;

import io.eqntk.kernel.ImageBatch;

import java.util.Random;

final class TestImages {
    private TestImages() {
    }

    static ImageBatch gaussian(int n, int h, int w, int c, long seed) {
        Random r = new Random(seed);
        double[] d = new double[n * h * w * c];
        for (int i = 0; i < d.length; i++) {
            d[i] = r.nextGaussian();
        }
        return new ImageBatch(d, n, h, w, c);
    }
}
