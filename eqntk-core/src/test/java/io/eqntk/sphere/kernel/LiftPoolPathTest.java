package io.eqntk.sphere.kernel;

import io.eqntk.sphere.*;

import io.eqntk.arch.Architecture;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The lift-pool path (per-input features, joint γ shifts) against the general pass on full N x N pair matrices,
 * and the threaded and grouped entry points against the sequential ones.
 */
class LiftPoolPathTest {
    private static SphericalPlan plan(String arch, int bandwidth, int channels) {
        return Architecture.parse(arch).sphericalPlan(bandwidth, channels);
    }

    private static List<SphereSignal> signals(int bandwidth, int degrees, int channels, int count, long seed) {
        List<SphereSignal> xs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            xs.add(SphericalTestSignals.bandLimited(bandwidth, degrees, channels, seed + i));
        }
        return xs;
    }

    private static void assertClose(double[] expected, double[] actual, double rel) {
        assertEquals(expected.length, actual.length);
        double max = 0;
        for (double v : expected) {
            max = Math.max(max, Math.abs(v));
        }
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], rel * max, "entry " + i);
        }
    }

    private static void compare(String arch, int bandwidth, int degrees, int channels) {
        SphericalPlan p = plan(arch, bandwidth, channels);
        SphericalKernels fast = new SphericalKernels(p);
        SphericalKernels slow = new SphericalKernels(plan(arch, bandwidth, channels), false);
        assertTrue(fast.liftPoolPath(), arch);
        assertFalse(slow.liftPoolPath());
        List<SphereSignal> xs = signals(bandwidth, degrees, channels, 4, 11), ys = signals(bandwidth, degrees, channels, 3, 40);
        double[][] gf = fast.gram(xs), gs = slow.gram(xs), cf = fast.cross(ys, xs), cs = slow.cross(ys, xs);
        for (int k = 0; k < 2; k++) {
            assertClose(gs[k], gf[k], 1e-12);
            assertClose(cs[k], cf[k], 1e-12);
        }
    }

    @Test
    void qm9NetworkMatchesTheGeneralPass() {
        compare("s2lift(2, 1.0, n_alpha=6, n_beta=2, b=0.1) relu so3pool dense", 2, 2, 5);
    }

    @Test
    void otherMapsBandwidthsAndVectorLayersMatchTheGeneralPass() {
        // two maps on SO(3), a vector nonlinearity after the pool, input bandwidth above the lift's
        compare("s2lift(3, 0.8, w=1.3, b=0.2, n_alpha=5, n_beta=3) erf relu so3pool dense relu dense", 4, 4, 2);
        compare("s2lift(2, 0.6, n_alpha=3, n_beta=1) relu so3pool relu dense(b=0.3)", 2, 2, 3);
        compare("s2lift(3, 1.2, b=0.1) so3pool dense", 3, 3, 1);
    }

    @Test
    void sparseRingsAndSo3ConvTakeTheGeneralPass() {
        // nAlpha = 4 < 2L - 1 = 5: γ shifts are not exact, so the general pass runs
        assertFalse(new SphericalKernels(plan("s2lift(3, 0.8, n_alpha=4) relu so3pool dense", 3, 1)).liftPoolPath());
        assertFalse(new SphericalKernels(plan("s2lift(2, 0.8) relu so3conv(2, 0.8) relu so3pool dense", 2, 1))
            .liftPoolPath());
    }

    @Test
    void threadsGiveTheSameBits() {
        for (String arch : new String[] {"s2lift(2, 1.0, n_alpha=6, n_beta=2, b=0.1) relu so3pool dense",
            "s2lift(2, 0.8, b=0.1, n_alpha=4, n_beta=1) relu so3conv(2, 0.8, n_alpha=3, n_beta=1, n_gamma=3) relu so3pool dense"}) {
            SphericalKernels k = new SphericalKernels(plan(arch, 2, 2));
            List<SphereSignal> xs = signals(2, 2, 2, 5, 3), ys = signals(2, 2, 2, 3, 30);
            double[][] g1 = k.gram(xs, 1), c1 = k.cross(ys, xs, 1);
            for (int threads : new int[] {2, 3, 8}) {
                double[][] g = k.gram(xs, threads), c = k.cross(ys, xs, threads);
                for (int q = 0; q < 2; q++) {
                    assertArrayEquals(g1[q], g[q], arch + " threads " + threads);
                    assertArrayEquals(c1[q], c[q], arch + " threads " + threads);
                }
            }
        }
    }

    @Test
    void vectorContractionsGiveTheScalarBits() {
        org.junit.jupiter.api.Assumptions.assumeTrue(LiftPoolPath.VECTORS, "no vector module");
        java.util.Random rng = new java.util.Random(9);
        int rank = 10, rows = 7, m = 37, ld = 50, off = 5, n = 6;
        double[] a = rng.doubles(rows * rank, -1, 1).toArray(), b = rng.doubles(rows * ld, -1, 1).toArray();
        double[] vt = new double[rank * m], st = new double[rank * m];
        int done = LiftPoolVectors.contractRows(a, rank, rows, b, ld, off, vt, m);
        LiftPoolPath.contractRows(a, rank, rows, b, ld, off, vt, m, done);
        LiftPoolPath.contractRows(a, rank, rows, b, ld, off, st, m, 0);
        assertArrayEquals(st, vt);
        double[] basis = rng.doubles(n * rank, -1, 1).toArray(), vs = new double[n * m], ss = new double[n * m];
        done = LiftPoolVectors.expand(basis, rank, n, st, m, 0.01, 0.3, vs);
        LiftPoolPath.expand(basis, rank, n, st, m, 0.01, 0.3, vs, done);
        LiftPoolPath.expand(basis, rank, n, st, m, 0.01, 0.3, ss, 0);
        assertArrayEquals(ss, vs);
    }

    @Test
    void blocksOfPairsGiveTheBitsOfSinglePairs() {
        SphericalKernels k = new SphericalKernels(plan("s2lift(2, 1.0, n_alpha=6, n_beta=2, b=0.1) relu so3pool dense", 2, 3));
        // more inputs than one block, so rows run over several blocks and a short last one
        List<SphereSignal> xs = signals(2, 2, 3, LiftPoolPath.BLOCK + 5, 7), ys = signals(2, 2, 3, 2, 70);
        double[][] c = k.cross(ys, xs);
        for (int i = 0; i < ys.size(); i++) {
            for (int j = 0; j < xs.size(); j += 6) {
                SphericalKernels.Pair p = k.pair(ys.get(i), xs.get(j));
                assertEquals(p.nngp(), c[0][i * xs.size() + j]);
                assertEquals(p.ntk(), c[1][i * xs.size() + j]);
            }
        }
        double[][] g = k.gram(xs);
        SphericalKernels.Pair self = k.pair(xs.get(3), xs.get(3));
        assertEquals(self.nngp(), g[0][3 * xs.size() + 3]);
        assertEquals(self.ntk(), g[1][3 * xs.size() + 3]);
    }

    @Test
    void groupSumsAreSumsOfTheAtomKernelsForEveryThreadCount() {
        SphericalKernels k = new SphericalKernels(plan("s2lift(2, 1.0, n_alpha=6, n_beta=2, b=0.1) relu so3pool dense", 2, 2));
        List<SphereSignal> xs = signals(2, 2, 2, 7, 5), ys = signals(2, 2, 2, 4, 50);
        int[] sx = {0, 3, 4, 7}, sy = {0, 2, 4};
        double[][] g = k.gram(xs), c = k.cross(ys, xs);
        double[][] gg = k.groupGram(xs, sx, 1), gc = k.groupCross(ys, sy, xs, sx, 1);
        for (int q = 0; q < 2; q++) {
            assertClose(groupSums(g[q], xs.size(), sx, sx), gg[q], 1e-13);
            assertClose(groupSums(c[q], xs.size(), sy, sx), gc[q], 1e-13);
            for (int threads : new int[] {2, 3}) {
                assertArrayEquals(gg[q], k.groupGram(xs, sx, threads)[q]);
                assertArrayEquals(gc[q], k.groupCross(ys, sy, xs, sx, threads)[q]);
            }
        }
    }

    private static double[] groupSums(double[] k, int cols, int[] rows, int[] colStarts) {
        int g1 = rows.length - 1, g2 = colStarts.length - 1;
        double[] out = new double[g1 * g2];
        for (int a = 0; a < g1; a++) {
            for (int b = 0; b < g2; b++) {
                for (int i = rows[a]; i < rows[a + 1]; i++) {
                    for (int j = colStarts[b]; j < colStarts[b + 1]; j++) {
                        out[a * g2 + b] += k[i * cols + j];
                    }
                }
            }
        }
        return out;
    }

    @Test
    void moleculeEnvironmentsMatchTheGeneralPass() {
        Path dir = io.eqntk.data.Datasets.defaultDataRoot().resolve("qm9-sample");
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.isDirectory(dir), "qm9-sample not present");
        List<SphereSignal> atoms = new ArrayList<>();
        for (MoleculeSpheres.Molecule m : MoleculeSpheres.loadQm9(dir, 2, 0)) {
            atoms.addAll(MoleculeSpheres.environments(m, 2, 0.5));
        }
        atoms = atoms.subList(0, Math.min(atoms.size(), 8));
        String arch = "s2lift(2, 1.0, n_alpha=6, n_beta=2, b=0.1) relu so3pool dense";
        double[][] fast = new SphericalKernels(plan(arch, 2, 5)).gram(atoms, 2);
        double[][] slow = new SphericalKernels(plan(arch, 2, 5), false).gram(atoms);
        for (int q = 0; q < 2; q++) {
            assertClose(slow[q], fast[q], 1e-12);
        }
    }
}
