package io.eqntk.sphere;

import io.eqntk.sphere.kernel.SphericalKernels;
import io.eqntk.arch.Architecture;
import io.eqntk.experiment.SphericalKernelSource;
import io.eqntk.kernel.ImageBatch;
import io.eqntk.kernel.KernelMatrices;
import io.eqntk.kernel.ProgressListener;
import io.eqntk.nonlin.TanhActivation;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A network parsed from a string has the kernels of the same network built in Java (the references of the
 * equivariance and Monte-Carlo tests), also when its inputs travel as images through the experiment's source.
 */
class ParsedSphericalKernelsTest {
    private static final List<SphereSignal> INPUTS = List.of(
        SphericalTestSignals.bandLimited(4, 3, 2, 11),
        SphericalTestSignals.bandLimited(4, 4, 2, 12),
        SphericalTestSignals.bandLimited(4, 2, 2, 13));

    @Test
    void parsedNetworkHasTheJavaNetworksKernels() {
        // SphericalEquivarianceTest's network, written as a string
        List<SphericalLayer> java = List.of(
            new SphericalLayer.S2Lift(4, Math.PI / 4, 1, 0.2, 6, 2), SphericalLayer.relu(),
            new SphericalLayer.So3Conv(2, Math.PI / 4, 1, 0.1, 4, 2, 3), SphericalLayer.relu(),
            new SphericalLayer.So3Pool(), new SphericalLayer.Dense());
        Architecture parsed = Architecture.parse("s2lift(4, " + Math.PI / 4 + ", b=0.2, n_alpha=6, n_beta=2) relu "
            + "so3conv(2, " + Math.PI / 4 + ", b=0.1, n_alpha=4, n_beta=2, n_gamma=3) relu so3pool dense");
        assertEquals(java, parsed.sphericalLayers());
        double[][] want = new SphericalKernels(java, 4, 2).gram(INPUTS);
        double[][] got = new SphericalKernels(parsed.sphericalPlan(4, 2)).gram(INPUTS);
        assertArrayEquals(want[0], got[0], 0);
        assertArrayEquals(want[1], got[1], 0);
        assertTrue(want[1][1] > want[0][1] && want[0][1] != 0, "a non-trivial kernel");
    }

    @Test
    void imagesOfTheGridCarryTheSignalsExactly() {
        Architecture a = Architecture.parse("s2lift(3, 0.8, b=0.1) erf so3pool dense");
        int side = 8, size = side * side * 2;
        double[] data = new double[INPUTS.size() * size];
        for (int i = 0; i < INPUTS.size(); i++) {
            System.arraycopy(INPUTS.get(i).toImage(), 0, data, i * size, size);
            SphereSignal back = SphereSignal.fromImage(data, i * size, 4, 2);
            assertArrayEquals(INPUTS.get(i).channels()[1], back.channels()[1], 0);
        }
        ImageBatch x = new ImageBatch(data, INPUTS.size(), side, side, 2);
        SphericalKernelSource source = new SphericalKernelSource(null);
        KernelMatrices g = source.gram(a, x, ProgressListener.NONE);
        KernelMatrices c = source.cross(a, x, x, ProgressListener.NONE);
        double[][] self = source.self(a, x);
        double[][] want = new SphericalKernels(a.sphericalPlan(4, 2)).gram(INPUTS);
        assertArrayEquals(want[0], g.nngp(), 0);
        assertArrayEquals(want[1], g.ntk(), 0);
        assertArrayEquals(want[1], c.ntk(), 1e-12 * want[1][0]);
        for (int i = 0; i < INPUTS.size(); i++) {
            assertEquals(want[0][i * INPUTS.size() + i], self[0][i], 1e-12 * want[0][0]);
        }
    }

    /** A nonlinearity without a closed form (tanh by quadrature) in a parsed network: invariant under z turns. */
    @Test
    void quadratureNonlinearityKeepsTheKernelInvariant() {
        Architecture a = Architecture.parse("s2lift(2, 0.8, b=0.1) tanh so3pool dense");
        assertEquals(new SphericalLayer.Activation(TanhActivation.INSTANCE), a.sphericalLayers().get(1));
        SphericalKernels k = new SphericalKernels(a.sphericalPlan(4, 2));
        SphereSignal x = INPUTS.get(0), y = INPUTS.get(1);
        SphericalKernels.Pair p = k.pair(x, y), q = k.pair(x.rotateZ(2), y.rotateZ(6));
        assertEquals(p.ntk(), q.ntk(), 1e-10 * Math.abs(p.ntk()));
        assertEquals(p.nngp(), q.nngp(), 1e-10 * Math.abs(p.nngp()));
    }
}
