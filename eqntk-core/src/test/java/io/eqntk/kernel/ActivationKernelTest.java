package io.eqntk.kernel;

import io.eqntk.TestImages;
import io.eqntk.kernel.map.EntryMaps;
import io.eqntk.kernel.map.ExpectationMap;
import io.eqntk.kernel.map.Nonlinearity;
import io.eqntk.arch.Architecture;
import io.eqntk.group.PointGroup;
import io.eqntk.nonlin.Activation;
import io.eqntk.nonlin.ErfActivation;
import io.eqntk.nonlin.ReluActivation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Nonlinearities added through the activation interface alone (GELU and LeakyReLU by closed forms, tanh by
 * quadrature) get every engine path: the orbit identity of a D4 network, slices = full blocks = diagonals, vector
 * loops = scalar loops, and the slow reference. The tuned ReLU and erf maps equal their activations' own maps.
 */
class ActivationKernelTest {
    /** Relative tolerance of an identity between two evaluations of the same maps. */
    private static double tolerance(String phi) {
        return phi.startsWith("tanh") || phi.contains("silu") || phi.contains("elu") ? 1e-8 : 1e-12;
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"gelu, SAME, 6", "gelu, VALID, 6", "leakyrelu(0.2), SAME, 6", "leakyrelu(0.2), CIRCULAR, 6",
        "tanh, SAME, 4", "tanh, VALID, 5",
        // the layer zoo, normalised group networks included (both axes), and a series-map fallback
        "sin(0.3), SAME, 5", "relumono(3), VALID, 6", "layernorm relu, SAME, 5", "layernorm(all) erf, VALID, 5",
        "layernorm(all) silu, SAME, 4", "sign, SAME, 5"})
    void orbitIdentityForD4(String phi, String pad, int n) {
        String gcnn = String.format("lift(D4, 3, %s, w=1.3, b=0.2) %s gconv(3, %s, b=0.1) %s gpool dense(b=0.3)",
            pad, phi, pad, phi);
        String cnn = String.format("conv(3, %s, w=1.3, b=0.2) %s conv(3, %s, b=0.1) %s gap dense(b=0.3)",
            pad, phi, pad, phi);
        int c = 2;
        ImageBatch x = TestImages.gaussian(2, n, n, c, phi.hashCode() + pad.hashCode());
        PointGroup h = PointGroup.D4;
        KernelMatrices kg = new KernelEngine(Architecture.parse(gcnn), 2).gram(x, ProgressListener.NONE);
        double[] orbit = new double[h.order() * 2 * n * n * c];
        for (int g = 0; g < h.order(); g++) {
            for (int j = 0; j < 2; j++) {
                System.arraycopy(h.transformImage(g, x.image(j), n, c), 0, orbit, (g * 2 + j) * n * n * c, n * n * c);
            }
        }
        KernelMatrices kc = new KernelEngine(Architecture.parse(cnn), 2).cross(x,
            new ImageBatch(orbit, 2 * h.order(), n, n, c), ProgressListener.NONE);
        double tol = tolerance(phi);
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 2; j++) {
                double nngp = 0;
                double ntk = 0;
                for (int g = 0; g < h.order(); g++) {
                    nngp += kc.nngp(i, g * 2 + j) / h.order();
                    ntk += kc.ntk(i, g * 2 + j) / h.order();
                }
                assertEquals(nngp, kg.nngp(i, j), tol * Math.abs(nngp), gcnn + " NNGP " + i + j);
                assertEquals(ntk, kg.ntk(i, j), tol * Math.abs(ntk), gcnn + " NTK " + i + j);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"gelu", "leakyrelu(0.2)", "tanh", "silu", "elu", "gaussian", "hermite(3)", "layernorm relumono(2)"})
    void everyPathAgrees(String phi) {
        String[] specs = {
            "conv(3, SAME, b=0.1) " + phi + " conv(3, VALID) " + phi + " gap dense",
            "lift(C4, 3, SAME) " + phi + " gconv(3, SAME, b=0.2) " + phi + " gpool dense",
            "conv(3, SAME, b=0.1) " + phi + " conv(3, SAME) " + phi + " flatten dense " + phi + " dense",
        };
        KernelEngine.Evaluation[] paths = {KernelEngine.Evaluation.SLICES, KernelEngine.Evaluation.SLICES,
            KernelEngine.Evaluation.DIAGONAL};
        // quadrature costs about 10^4 evaluations of φ per entry: smaller images for it
        boolean quadrature = phi.equals("tanh") || phi.equals("silu") || phi.equals("elu");
        int n = quadrature ? 4 : 6;
        // the engine's series map (quadrature activations) against the reference's quadrature: both within 1e-12 of
        // each entry's scale, so 1e-10 of the pooled kernels
        double refTol = quadrature ? 1e-10 : 1e-12;
        for (int s = 0; s < specs.length; s++) {
            Architecture arch = Architecture.parse(specs[s]);
            KernelEngine fast = new KernelEngine(arch, 2);
            assertEquals(paths[s], fast.evaluation(), specs[s]);
            ImageBatch x = TestImages.gaussian(3, n, n, 2, s + 5L * phi.hashCode());
            KernelMatrices a = fast.gram(x, ProgressListener.NONE);
            KernelMatrices full = fast.withFullBlocks().gram(x, ProgressListener.NONE);
            KernelMatrices scalar = fast.withScalarSlices().gram(x, ProgressListener.NONE);
            for (int e = 0; e < 9; e++) {
                assertEquals(full.nngp()[e], a.nngp()[e], 1e-12 * Math.abs(full.nngp()[e]), specs[s] + " nngp");
                assertEquals(full.ntk()[e], a.ntk()[e], 1e-12 * Math.abs(full.ntk()[e]), specs[s] + " ntk");
                // as for ReLU and erf (SlicePathTest): the vector box sums add in another order
                assertEquals(a.nngp()[e], scalar.nngp()[e], 1e-13 * Math.abs(a.nngp()[e]), specs[s] + " scalar nngp");
                assertEquals(a.ntk()[e], scalar.ntk()[e], 1e-13 * Math.abs(a.ntk()[e]), specs[s] + " scalar ntk");
            }
            if (quadrature && (s == 1 || s == 2 && !phi.equals("tanh"))) {
                continue; // the reference's |G|^2 blocks by quadrature take minutes; the CNN reference checks tanh
            }
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 3; j++) {
                    double[] ref = ReferenceKernel.pair(arch, x.image(i), x.image(j), n, n, 2);
                    assertEquals(ref[0], a.nngp(i, j), refTol * Math.abs(ref[0]) + 1e-14, specs[s] + " reference");
                    assertEquals(ref[1], a.ntk(i, j), refTol * Math.abs(ref[1]) + 1e-14, specs[s] + " reference");
                }
            }
        }
    }

    /** The hand-tuned vector maps of ReLU and erf against the default map built on the activations' expectations. */
    @Test
    void tunedMapsEqualTheDefaultMap() {
        for (Activation phi : new Activation[] {ReluActivation.INSTANCE, ErfActivation.INSTANCE}) {
            Nonlinearity tuned = EntryMaps.of(phi);
            Nonlinearity plain = new ExpectationMap(phi);
            SplittableRandom r = new SplittableRandom(phi.name().hashCode());
            int n = 1000;
            double[] qa = new double[n];
            double[] qb = new double[n];
            double[] sig = new double[n];
            double[] th = new double[n];
            for (int j = 0; j < n; j++) {
                qa[j] = Math.exp(4 * r.nextDouble() - 2);
                qb[j] = Math.exp(4 * r.nextDouble() - 2);
                sig[j] = (2 * r.nextDouble() - 1) * Math.sqrt(qa[j] * qb[j]);
                if (j % 10 == 0) {
                    // correlation exactly ±1 (equal variances), where both maps must give the limit
                    qb[j] = qa[j];
                    sig[j] = j % 20 == 0 ? qa[j] : -qa[j];
                }
                th[j] = 1 + r.nextDouble();
            }
            double[] s1 = sig.clone();
            double[] t1 = th.clone();
            double[] s2 = sig.clone();
            double[] t2 = th.clone();
            mapAll(tuned, qa, qb, s1, t1);
            mapAll(plain, qa, qb, s2, t2);
            for (int j = 0; j < n; j++) {
                double scale = Math.sqrt(qa[j] * qb[j]) + 1;
                assertEquals(s2[j], s1[j], 1e-13 * scale, phi.name() + " Σ at " + j);
                assertEquals(t2[j], t1[j], 1e-13 * Math.abs(t2[j]) + 1e-15, phi.name() + " Θ at " + j);
            }
        }
    }

    private static void mapAll(Nonlinearity m, double[] qa, double[] qb, double[] sig, double[] th) {
        int n = sig.length;
        int planes = m.factorPlanes();
        double[] fa = new double[planes * n + 16];
        double[] fb = new double[planes * n + 16];
        for (int p = 0; p < planes; p++) {
            for (int j = 0; j < n; j++) {
                fa[p * n + j] = m.varianceFactor(qa[j], p);
                fb[p * n + j] = m.varianceFactor(qb[j], p);
            }
        }
        m.mapFactors(fa, 0, fb, 0, n, sig, th, 0, n, new double[n + 16], new double[n + 16]);
    }
}
