package io.eqntk.sphere;

import io.eqntk.EqntkException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Molecules as spherical signals (docs/SO3_KERNELS.md §4): every atom's environment is a potential on the sphere
 * around it with one channel per element (H, C, N, O, F), s_e(ω) = Σ_{b of element e} (Z_a Z_b / r_ab)
 * exp(-(1 - ω·u_ab)/σ^2) / 10, u_ab the direction from a to b. A molecule's prediction is the sum over its atoms.
 */
public final class MoleculeSpheres {
    public static final List<String> ELEMENTS = List.of("H", "C", "N", "O", "F");
    private static final int[] CHARGE = {1, 6, 7, 8, 9};
    /** QM9's U0 of the free atoms H, C, N, O, F in Hartree (its atomref table). */
    private static final double[] ATOM_U0 = {-0.500273, -37.846772, -54.583861, -75.064579, -99.718730};

    /** A molecule: element index per atom (into {@link #ELEMENTS}), positions in Å, U0 in Hartree. */
    public record Molecule(String file, int[] elements, double[][] positions, double u0) {
    }

    private MoleculeSpheres() {
    }

    /** {@code count} molecules of a qm9-sample folder ({@code energies.csv}, {@code xyz/}), a seeded choice. */
    public static List<Molecule> loadQm9(Path dir, int count, long seed) {
        Path csv = dir.resolve("energies.csv");
        List<String> lines;
        try {
            lines = Files.readAllLines(csv);
        } catch (IOException e) {
            throw new EqntkException(csv + ": cannot read: " + e.getMessage(), e);
        }
        if (lines.isEmpty() || !lines.get(0).trim().equals("file,gdb_index,U0_hartree")) {
            throw new EqntkException(csv + ": expected the header 'file,gdb_index,U0_hartree'");
        }
        List<String> rows = new ArrayList<>(lines.subList(1, lines.size()));
        if (count < 1 || count > rows.size()) {
            throw new EqntkException(csv + ": count must be between 1 and " + rows.size() + ", got " + count);
        }
        java.util.Collections.shuffle(rows, new Random(seed));
        List<Molecule> out = new ArrayList<>();
        for (String row : rows.subList(0, count)) {
            String[] f = row.split(",");
            if (f.length != 3) {
                throw new EqntkException(csv + ": malformed row '" + row + "'");
            }
            out.add(readXyz(dir.resolve(f[0]), Double.parseDouble(f[2])));
        }
        return out;
    }

    static Molecule readXyz(Path file, double u0) {
        try {
            List<String> lines = Files.readAllLines(file);
            int n = Integer.parseInt(lines.get(0).trim());
            int[] el = new int[n];
            double[][] pos = new double[n][3];
            for (int i = 0; i < n; i++) {
                String[] t = lines.get(2 + i).trim().split("\\s+");
                el[i] = ELEMENTS.indexOf(t[0]);
                if (el[i] < 0) {
                    throw new EqntkException(file + ": line " + (3 + i) + ": unknown element '" + t[0] + "'");
                }
                for (int k = 0; k < 3; k++) {
                    pos[i][k] = Double.parseDouble(t[1 + k].replace("*^", "E"));
                }
            }
            return new Molecule(file.getFileName().toString(), el, pos, u0);
        } catch (IOException | RuntimeException e) {
            if (e instanceof EqntkException ee) {
                throw ee;
            }
            throw new EqntkException(file + ": not a readable XYZ file: " + e.getMessage(), e);
        }
    }

    /** One five-channel signal per atom, on the S^2 grid of the given bandwidth, smoothing width σ (radians). */
    public static List<SphereSignal> environments(Molecule m, int bandwidth, double sigma) {
        if (!(sigma > 0)) {
            throw new EqntkException(String.format(Locale.ROOT, "molecule environments: sigma must be positive, got %g", sigma));
        }
        S2Transform grid = new S2Transform(bandwidth);
        int n = m.elements().length;
        List<SphereSignal> out = new ArrayList<>();
        for (int a = 0; a < n; a++) {
            double[][] ch = new double[ELEMENTS.size()][grid.gridSize()];
            for (int b = 0; b < n; b++) {
                if (b == a) {
                    continue;
                }
                double[] d = new double[3];
                double r = 0;
                for (int k = 0; k < 3; k++) {
                    d[k] = m.positions()[b][k] - m.positions()[a][k];
                    r += d[k] * d[k];
                }
                r = Math.sqrt(r);
                if (r < 1e-6) {
                    throw new EqntkException(m.file() + ": atoms " + (a + 1) + " and " + (b + 1) + " coincide");
                }
                double amp = CHARGE[m.elements()[a]] * CHARGE[m.elements()[b]] / r / 10;
                double[] c = ch[m.elements()[b]];
                for (int i = 0; i < c.length; i++) {
                    double[] w = grid.point(i);
                    double cos = (w[0] * d[0] + w[1] * d[1] + w[2] * d[2]) / r;
                    c[i] += amp * Math.exp(-(1 - cos) / (sigma * sigma));
                }
            }
            out.add(new SphereSignal(bandwidth, ch));
        }
        return out;
    }

    /** U0 minus the free atoms' U0: the atomisation energy in Hartree. */
    public static double atomisation(Molecule m) {
        double e = m.u0();
        for (int el : m.elements()) {
            e -= ATOM_U0[el];
        }
        return e;
    }

    /** The molecule rotated by g (positions r -> g r). */
    public static Molecule rotate(Molecule m, Rotation g) {
        double[][] p = new double[m.positions().length][];
        for (int i = 0; i < p.length; i++) {
            p[i] = g.apply(m.positions()[i]);
        }
        return new Molecule(m.file(), m.elements(), p, m.u0());
    }
}
