package io.eqntk.sphere;

import io.eqntk.EqntkException;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class SphereDataTest {
    private static final Path DATA = Path.of("..", "..", "shared", "data");

    @Test
    void sphericalMnistPutsUnrotatedDigitsOnTheNorthAndRotationsMoveThem() {
        Path mnist = DATA.resolve("mnist");
        assumeTrue(Files.isDirectory(mnist), "no MNIST copy at " + mnist.toAbsolutePath());
        List<SphericalMnist.Sample> a = SphericalMnist.load(mnist, "train", 4, 6, false, 3);
        List<SphericalMnist.Sample> b = SphericalMnist.load(mnist, "train", 4, 6, false, 3);
        List<SphericalMnist.Sample> r = SphericalMnist.load(mnist, "train", 4, 6, true, 3);
        S2Transform grid = new S2Transform(6);
        for (int s = 0; s < 4; s++) {
            assertEquals(a.get(s).label(), b.get(s).label(), "seeded choice repeats");
            assertEquals(a.get(s).label(), r.get(s).label(), "same digits rotated");
            double north = 0, south = 0;
            double[] x = a.get(s).signal().channels()[0];
            for (int i = 0; i < x.length; i++) {
                if (grid.point(i)[2] > 0) {
                    north += x[i];
                } else if (grid.point(i)[2] < -0.5) {
                    south += x[i];
                }
            }
            assertTrue(north > 1, "a digit has ink on the northern hemisphere: " + north);
            assertEquals(0, south, 0, "nothing near the south pole");
            assertNotEquals(0, java.util.Arrays.compare(x, r.get(s).signal().channels()[0]));
        }
        assertThrows(EqntkException.class, () -> SphericalMnist.load(mnist, "valid", 4, 6, false, 3));
    }

    @Test
    void moleculeEnvironmentsRotateWithTheMolecule() {
        Path qm9 = DATA.resolve("qm9-sample");
        assumeTrue(Files.isDirectory(qm9), "no qm9-sample at " + qm9.toAbsolutePath());
        MoleculeSpheres.Molecule m = MoleculeSpheres.loadQm9(qm9, 2, 5).get(0);
        List<SphereSignal> env = MoleculeSpheres.environments(m, 4, 0.5);
        assertEquals(m.elements().length, env.size());
        assertEquals(5, env.get(0).channelCount());
        // rotating the molecule about z by 3 grid steps (3π/4) rotates every environment by the same grid steps
        List<SphereSignal> rot = MoleculeSpheres.environments(
            MoleculeSpheres.rotate(m, Rotation.euler(3 * Math.PI / 4, 0, 0)), 4, 0.5);
        for (int a = 0; a < env.size(); a++) {
            SphereSignal want = env.get(a).rotateZ(3);
            for (int c = 0; c < 5; c++) {
                for (int i = 0; i < want.channels()[c].length; i++) {
                    assertEquals(want.channels()[c][i], rot.get(a).channels()[c][i], 1e-10);
                }
            }
        }
        double e = MoleculeSpheres.atomisation(m);
        assertTrue(e < 0 && e > -5, "atomisation energy in Hartree: " + e);
    }
}
