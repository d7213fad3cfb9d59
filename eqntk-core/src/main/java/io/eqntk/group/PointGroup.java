package io.eqntk.group;

import io.eqntk.EqntkException;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A finite point group of the square grid, held as data: each element is a signed permutation matrix acting on
 * centred offsets (row, column), with its multiplication table and inverses. Element 0 is the identity.
 *
 * <p>Offsets are centred coordinates p = t - c of a square grid with centre c = ((n-1)/2, (n-1)/2); a matrix
 * {@code {a, b, c, d}} maps (di, dj) to (a di + b dj, c di + d dj). Every element maps the grid (and an odd
 * filter grid) onto itself, which is why only these six groups are supported.
 */
public final class PointGroup {
    /** Rotation by 90 degrees: (di, dj) -> (-dj, di). */
    private static final int[] ROT90 = {0, -1, 1, 0};
    /** Left-right mirror: column j -> n-1-j, i.e. dj -> -dj. */
    private static final int[] MIRROR_LR = {1, 0, 0, -1};
    /** Up-down mirror: row i -> n-1-i. */
    private static final int[] MIRROR_UD = {-1, 0, 0, 1};
    private static final int[] ROT180 = {-1, 0, 0, -1};

    public static final PointGroup C1 = generate("C1");
    public static final PointGroup C2 = generate("C2", ROT180);
    public static final PointGroup C4 = generate("C4", ROT90);
    public static final PointGroup D1 = generate("D1", MIRROR_LR);
    public static final PointGroup D2 = generate("D2", MIRROR_LR, MIRROR_UD);
    public static final PointGroup D4 = generate("D4", ROT90, MIRROR_LR);

    private static final List<PointGroup> ALL = List.of(C1, C2, C4, D1, D2, D4);
    /** Other names in use: the crystallographic p4 and p4m of the group-CNN literature. */
    private static final java.util.Map<String, PointGroup> ALIASES = java.util.Map.of("P4", C4, "P4M", D4);

    private final String name;
    private final int[][] matrices;
    private final int[][] product;
    private final int[] inverse;

    private PointGroup(String name, List<int[]> elements) {
        this.name = name;
        int n = elements.size();
        this.matrices = elements.toArray(new int[0][]);
        this.product = new int[n][n];
        this.inverse = new int[n];
        for (int g = 0; g < n; g++) {
            for (int h = 0; h < n; h++) {
                product[g][h] = indexOf(multiply(matrices[g], matrices[h]));
                if (product[g][h] == 0) {
                    inverse[g] = h;
                }
            }
        }
    }

    /** Closes the generators under multiplication; the identity comes first, then elements in discovery order. */
    private static PointGroup generate(String name, int[]... generators) {
        List<int[]> elements = new ArrayList<>();
        elements.add(new int[] {1, 0, 0, 1});
        for (int i = 0; i < elements.size(); i++) {
            for (int[] gen : generators) {
                int[] next = multiply(elements.get(i), gen);
                if (elements.stream().noneMatch(e -> java.util.Arrays.equals(e, next))) {
                    elements.add(next);
                }
            }
        }
        return new PointGroup(name, elements);
    }

    private static int[] multiply(int[] a, int[] b) {
        return new int[] {
            a[0] * b[0] + a[1] * b[2], a[0] * b[1] + a[1] * b[3],
            a[2] * b[0] + a[3] * b[2], a[2] * b[1] + a[3] * b[3]};
    }

    private int indexOf(int[] m) {
        for (int i = 0; i < matrices.length; i++) {
            if (java.util.Arrays.equals(matrices[i], m)) {
                return i;
            }
        }
        throw new IllegalStateException("group " + name + " is not closed");
    }

    /** The group named {@code name} (case-insensitive): one of {@link #all()} or an alias ({@link #names()}). */
    public static PointGroup of(String name) {
        String key = name.trim().toUpperCase(Locale.ROOT);
        PointGroup alias = ALIASES.get(key);
        if (alias != null) {
            return alias;
        }
        for (PointGroup g : ALL) {
            if (g.name.equals(key)) {
                return g;
            }
        }
        throw new EqntkException("unknown group '" + name + "' (known: " + names() + ")");
    }

    /** The known names for messages and help, e.g. "C1, C2, C4 (p4), D1, D2, D4 (p4m)". */
    public static String names() {
        StringBuilder sb = new StringBuilder();
        for (PointGroup g : ALL) {
            sb.append(sb.length() == 0 ? "" : ", ").append(g.name);
            ALIASES.entrySet().stream().filter(e -> e.getValue() == g).map(e -> e.getKey().toLowerCase(Locale.ROOT))
                .sorted().forEach(a -> sb.append(" (").append(a).append(')'));
        }
        return sb.toString();
    }

    public static List<PointGroup> all() {
        return ALL;
    }

    public String name() {
        return name;
    }

    public int order() {
        return matrices.length;
    }

    /** The matrix {a, b, c, d} of element g (a copy). */
    public int[] matrix(int g) {
        return matrices[g].clone();
    }

    /** g * h (first h, then g, as matrices). */
    public int multiply(int g, int h) {
        return product[g][h];
    }

    public int inverse(int g) {
        return inverse[g];
    }

    /** Row component of g applied to the centred offset (di, dj). */
    public int actRow(int g, int di, int dj) {
        int[] m = matrices[g];
        return m[0] * di + m[1] * dj;
    }

    /** Column component of g applied to the centred offset (di, dj). */
    public int actCol(int g, int di, int dj) {
        int[] m = matrices[g];
        return m[2] * di + m[3] * dj;
    }

    /**
     * The transformed image {@code (g·x)(s) = x(g s)} on centred coordinates, for an image [n, n, C] in row-major
     * channels-last order.
     */
    public double[] transformImage(int g, double[] image, int n, int channels) {
        if (image.length != n * n * channels) {
            throw new IllegalArgumentException("image length " + image.length + " is not " + n + "x" + n + "x" + channels);
        }
        return transformImage(g, image, n, n, channels);
    }

    /**
     * The same for an image [h, w, C]; element g must map the h x w rectangle onto itself (for h != w: C1, C2, D1
     * and D2, whose elements only reverse axes).
     */
    public double[] transformImage(int g, double[] image, int h, int w, int channels) {
        if (image.length != h * w * channels) {
            throw new IllegalArgumentException("image length " + image.length + " is not " + h + "x" + w + "x" + channels);
        }
        if (h != w && matrices[g][1] != 0) {
            throw new IllegalArgumentException(name + " element " + g + " rotates by 90 degrees: it needs a square image, got "
                + h + "x" + w);
        }
        double[] out = new double[image.length];
        for (int i = 0; i < h; i++) {
            for (int j = 0; j < w; j++) {
                int di = 2 * i - (h - 1);
                int dj = 2 * j - (w - 1);
                int si = (actRow(g, di, dj) + (h - 1)) / 2;
                int sj = (actCol(g, di, dj) + (w - 1)) / 2;
                System.arraycopy(image, (si * w + sj) * channels, out, (i * w + j) * channels, channels);
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return name;
    }
}
