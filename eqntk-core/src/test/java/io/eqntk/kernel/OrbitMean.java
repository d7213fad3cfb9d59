package io.eqntk.kernel;

import io.eqntk.arch.Architecture;
import io.eqntk.group.PointGroup;

/** The right side of the orbit identity (KERNELS.md §3): mean over g in H of K_CNN(x_i, g·x_j), for tests. */
final class OrbitMean {
    private OrbitMean() {
    }

    /** {mean NNGP, mean NTK} of the CNN {@code cnn} over the orbits of x's images, each count x count. */
    static double[][] of(String cnn, ImageBatch x, PointGroup h) {
        int m = x.count();
        int n = x.height();
        int c = x.channels();
        int size = n * n * c;
        double[] orbit = new double[h.order() * m * size];
        for (int g = 0; g < h.order(); g++) {
            for (int j = 0; j < m; j++) {
                System.arraycopy(h.transformImage(g, x.image(j), n, c), 0, orbit, (g * m + j) * size, size);
            }
        }
        KernelMatrices kc = new KernelEngine(Architecture.parse(cnn), 2).cross(x,
            new ImageBatch(orbit, m * h.order(), n, n, c), ProgressListener.NONE);
        double[][] mean = new double[2][m * m];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < m; j++) {
                for (int g = 0; g < h.order(); g++) {
                    mean[0][i * m + j] += kc.nngp(i, g * m + j) / h.order();
                    mean[1][i * m + j] += kc.ntk(i, g * m + j) / h.order();
                }
            }
        }
        return mean;
    }
}
