package io.eqntk.predict;

import org.ejml.dense.row.decomposition.TriangularSolver_DDRM;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTrue;

class TriangularTest {
    /** Against EJML's vector solves, on a size large enough to take the blocked parallel path. */
    @Test
    void matchesEjmlVectorSolves() {
        for (int[] size : new int[][]{{1, 1}, {7, 3}, {40, 33}, {300, 1200}}) {
            int n = size[0];
            int m = size[1];
            Random r = new Random(n * 31L + m);
            double[] l = new double[n * n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < i; j++) {
                    l[i * n + j] = r.nextGaussian() / Math.sqrt(n);
                }
                l[i * n + i] = 1 + r.nextDouble();
            }
            double[] b = Kernels.randomMatrix(r.nextLong(), m, n);
            double[] fwd = b.clone();
            double[] bwd = b.clone();
            Triangular.forwardRows(l, fwd, n, m);
            Triangular.backwardRows(l, bwd, n, m);
            double err = 0;
            double[] v = new double[n];
            for (int z = 0; z < m; z++) {
                System.arraycopy(b, z * n, v, 0, n);
                TriangularSolver_DDRM.solveL(l, v, n);
                for (int j = 0; j < n; j++) {
                    err = Math.max(err, Math.abs(v[j] - fwd[z * n + j]));
                }
                System.arraycopy(b, z * n, v, 0, n);
                TriangularSolver_DDRM.solveTranL(l, v, n);
                for (int j = 0; j < n; j++) {
                    err = Math.max(err, Math.abs(v[j] - bwd[z * n + j]));
                }
            }
            assertTrue(err < 1e-10, "n=" + n + " m=" + m + " err " + err);
        }
    }
}
