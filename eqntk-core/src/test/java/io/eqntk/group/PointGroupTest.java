package io.eqntk.group;

import io.eqntk.EqntkException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

class PointGroupTest {

    static Stream<Arguments> groups() {
        return Stream.of(
            Arguments.of("C1", 1), Arguments.of("C2", 2), Arguments.of("C4", 4),
            Arguments.of("D1", 2), Arguments.of("D2", 4), Arguments.of("D4", 8));
    }

    static Stream<PointGroup> all() {
        return PointGroup.all().stream();
    }

    private static int[] mul(int[] a, int[] b) {
        return new int[] {
            a[0] * b[0] + a[1] * b[2], a[0] * b[1] + a[1] * b[3],
            a[2] * b[0] + a[3] * b[2], a[2] * b[1] + a[3] * b[3]};
    }

    private static int det(int[] m) {
        return m[0] * m[3] - m[1] * m[2];
    }

    private static double[] random(int n, long seed) {
        Random r = new Random(seed);
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
            d[i] = r.nextGaussian();
        }
        return d;
    }

    // ---- lookup and orders -------------------------------------------------------------------------------

    @ParameterizedTest
    @MethodSource("groups")
    void lookupByNameAnyCaseAndOrder(String name, int order) {
        PointGroup g = PointGroup.of(name);
        assertEquals(name, g.name());
        assertEquals(order, g.order());
        assertSame(g, PointGroup.of(name.toLowerCase()));
        assertSame(g, PointGroup.of("  " + name + " "));
        assertEquals(name, g.toString());
    }

    @Test
    void constantsAndAll() {
        assertEquals(List.of(PointGroup.C1, PointGroup.C2, PointGroup.C4, PointGroup.D1, PointGroup.D2, PointGroup.D4),
            PointGroup.all());
    }

    @ParameterizedTest
    @CsvSource({"p4, C4", "P4, C4", "p4m, D4", "P4M, D4", "P4m, D4"})
    void aliases(String alias, String name) {
        assertSame(PointGroup.of(name), PointGroup.of(alias));
    }

    @ParameterizedTest
    @ValueSource(strings = {"C3", "D8", "p6", "foo", ""})
    void unknownNameIsAnErrorNamingIt(String name) {
        EqntkException e = assertThrows(EqntkException.class, () -> PointGroup.of(name));
        assertTrue(e.getMessage().contains("'" + name + "'"), e.getMessage());
    }

    // ---- group axioms ------------------------------------------------------------------------------------

    @ParameterizedTest
    @MethodSource("all")
    void identityIsElementZero(PointGroup g) {
        assertArrayEquals(new int[] {1, 0, 0, 1}, g.matrix(0));
        for (int a = 0; a < g.order(); a++) {
            assertEquals(a, g.multiply(0, a));
            assertEquals(a, g.multiply(a, 0));
        }
        assertEquals(0, g.inverse(0));
    }

    @ParameterizedTest
    @MethodSource("all")
    void elementsAreDistinctSignedPermutationsWithUnitDeterminant(PointGroup g) {
        Set<List<Integer>> seen = new HashSet<>();
        for (int a = 0; a < g.order(); a++) {
            int[] m = g.matrix(a);
            assertTrue(seen.add(Arrays.stream(m).boxed().toList()), "duplicate element " + a);
            // each row and each column holds exactly one entry ±1, the others 0
            for (int r = 0; r < 2; r++) {
                int rowNonZero = 0;
                int colNonZero = 0;
                for (int k = 0; k < 2; k++) {
                    assertTrue(Math.abs(m[2 * r + k]) <= 1);
                    rowNonZero += m[2 * r + k] != 0 ? 1 : 0;
                    colNonZero += m[2 * k + r] != 0 ? 1 : 0;
                }
                assertEquals(1, rowNonZero, Arrays.toString(m));
                assertEquals(1, colNonZero, Arrays.toString(m));
            }
            assertEquals(1, Math.abs(det(m)));
            // actRow / actCol apply the matrix
            for (int di = -2; di <= 2; di++) {
                for (int dj = -2; dj <= 2; dj++) {
                    assertEquals(m[0] * di + m[1] * dj, g.actRow(a, di, dj));
                    assertEquals(m[2] * di + m[3] * dj, g.actCol(a, di, dj));
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("all")
    void matrixReturnsACopy(PointGroup g) {
        int last = g.order() - 1;
        int[] m = g.matrix(last);
        int[] copy = m.clone();
        m[0] = 42;
        assertArrayEquals(copy, g.matrix(last));
    }

    @ParameterizedTest
    @ValueSource(strings = {"C1", "C2", "C4"})
    void cyclicGroupsContainOnlyRotations(String name) {
        PointGroup g = PointGroup.of(name);
        for (int a = 0; a < g.order(); a++) {
            assertEquals(1, det(g.matrix(a)), name + " element " + a);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"D1", "D2", "D4"})
    void dihedralGroupsHaveHalfReflections(String name) {
        PointGroup g = PointGroup.of(name);
        int reflections = 0;
        for (int a = 0; a < g.order(); a++) {
            reflections += det(g.matrix(a)) == -1 ? 1 : 0;
        }
        assertEquals(g.order() / 2, reflections);
    }

    @ParameterizedTest
    @MethodSource("all")
    void tableIsClosedAndAgreesWithMatrixProducts(PointGroup g) {
        int n = g.order();
        for (int a = 0; a < n; a++) {
            for (int b = 0; b < n; b++) {
                int p = g.multiply(a, b);
                assertTrue(p >= 0 && p < n);
                assertArrayEquals(mul(g.matrix(a), g.matrix(b)), g.matrix(p), a + "*" + b);
            }
        }
        // every row of the table is a permutation (Latin square)
        for (int a = 0; a < n; a++) {
            Set<Integer> row = new HashSet<>();
            Set<Integer> col = new HashSet<>();
            for (int b = 0; b < n; b++) {
                row.add(g.multiply(a, b));
                col.add(g.multiply(b, a));
            }
            assertEquals(n, row.size());
            assertEquals(n, col.size());
        }
    }

    @ParameterizedTest
    @MethodSource("all")
    void associativity(PointGroup g) {
        int n = g.order();
        for (int a = 0; a < n; a++) {
            for (int b = 0; b < n; b++) {
                for (int c = 0; c < n; c++) {
                    assertEquals(g.multiply(g.multiply(a, b), c), g.multiply(a, g.multiply(b, c)));
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("all")
    void inversesAgreeWithTableAndMatrixInverse(PointGroup g) {
        for (int a = 0; a < g.order(); a++) {
            int inv = g.inverse(a);
            assertEquals(0, g.multiply(a, inv));
            assertEquals(0, g.multiply(inv, a));
            int[] m = g.matrix(a);
            int d = det(m);
            // inverse of {a, b, c, d} is {d, -b, -c, a} / det (det = ±1 so exact)
            int[] mInv = {m[3] * d, -m[1] * d, -m[2] * d, m[0] * d};
            assertArrayEquals(mInv, g.matrix(inv));
            // for an orthogonal matrix, inverse = transpose
            assertArrayEquals(new int[] {m[0], m[2], m[1], m[3]}, g.matrix(inv));
        }
    }

    @Test
    void cyclicAndDihedralStructure() {
        // C4 is abelian and generated by one element of order 4; D4 is not abelian
        PointGroup c4 = PointGroup.C4;
        int rot = rot90(c4);
        assertEquals(0, c4.multiply(rot, c4.multiply(rot, c4.multiply(rot, rot))));
        assertTrue(c4.multiply(rot, rot) != 0);
        PointGroup d4 = PointGroup.D4;
        boolean abelian = true;
        for (int a = 0; a < 8; a++) {
            for (int b = 0; b < 8; b++) {
                abelian &= d4.multiply(a, b) == d4.multiply(b, a);
            }
        }
        assertTrue(!abelian, "D4 must not be abelian");
        // C2 = {I, -I}; D1 = {I, left-right mirror}
        assertArrayEquals(new int[] {-1, 0, 0, -1}, PointGroup.C2.matrix(1));
        assertArrayEquals(new int[] {1, 0, 0, -1}, PointGroup.D1.matrix(1));
    }

    /** The index of the 90-degree rotation {0, -1, 1, 0} in g. */
    private static int rot90(PointGroup g) {
        for (int a = 0; a < g.order(); a++) {
            if (Arrays.equals(g.matrix(a), new int[] {0, -1, 1, 0})) {
                return a;
            }
        }
        fail("no 90-degree rotation in " + g);
        return -1;
    }

    // ---- transformImage ----------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(ints = {4, 5})
    void d1MirrorsColumns(int n) {
        int c = 2;
        double[] x = random(n * n * c, n);
        double[] y = PointGroup.D1.transformImage(1, x, n, c);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                for (int ch = 0; ch < c; ch++) {
                    assertEquals(x[(i * n + (n - 1 - j)) * c + ch], y[(i * n + j) * c + ch]);
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {4, 5})
    void identityLeavesImageUnchangedAndResultIsACopy(int n) {
        for (PointGroup g : PointGroup.all()) {
            double[] x = random(n * n * 3, 7);
            double[] keep = x.clone();
            double[] y = g.transformImage(0, x, n, 3);
            assertArrayEquals(x, y);
            y[0] += 1;
            assertArrayEquals(keep, x, "transformImage must not alias or modify its input");
        }
    }

    @Test
    void transformImageRejectsWrongLength() {
        assertThrows(IllegalArgumentException.class, () -> PointGroup.C4.transformImage(1, new double[10], 3, 1));
    }

    /** (g·x)(s) = x(g s), so g·(h·x) = (h g)·x: a right action. */
    @ParameterizedTest
    @MethodSource("all")
    void transformImageIsARightAction(PointGroup group) {
        for (int n : new int[] {4, 5}) {
            int c = 2;
            double[] x = random(n * n * c, 31 + n);
            for (int g = 0; g < group.order(); g++) {
                for (int h = 0; h < group.order(); h++) {
                    double[] lhs = group.transformImage(g, group.transformImage(h, x, n, c), n, c);
                    double[] rhs = group.transformImage(group.multiply(h, g), x, n, c);
                    assertArrayEquals(rhs, lhs, group + " n=" + n + " g=" + g + " h=" + h);
                }
                // and the inverse undoes it
                double[] back = group.transformImage(group.inverse(g), group.transformImage(g, x, n, c), n, c);
                assertArrayEquals(x, back);
            }
        }
    }

    /** Each element is a permutation of pixels that keeps the channel vector together and matches the matrix. */
    @ParameterizedTest
    @MethodSource("all")
    void transformImageReadsPixelAtGTimesCentredPosition(PointGroup group) {
        for (int n : new int[] {4, 5}) {
            double[] x = new double[n * n];
            for (int i = 0; i < x.length; i++) {
                x[i] = i;
            }
            for (int g = 0; g < group.order(); g++) {
                double[] y = group.transformImage(g, x, n, 1);
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < n; j++) {
                        // doubled centred coordinates
                        int di = 2 * i - (n - 1);
                        int dj = 2 * j - (n - 1);
                        int si = (group.actRow(g, di, dj) + n - 1) / 2;
                        int sj = (group.actCol(g, di, dj) + n - 1) / 2;
                        assertEquals(si * n + sj, (int) y[i * n + j]);
                    }
                }
                double[] sorted = y.clone();
                Arrays.sort(sorted);
                assertArrayEquals(x, sorted, "not a permutation");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"C4", "D4"})
    void rotationFourTimesIsIdentity(String name) {
        PointGroup group = PointGroup.of(name);
        int rot = rot90(group);
        for (int n : new int[] {3, 4, 5, 6}) {
            double[] x = random(n * n * 2, n);
            double[] y = x;
            for (int k = 0; k < 4; k++) {
                y = group.transformImage(rot, y, n, 2);
                if (k < 3) {
                    assertTrue(!Arrays.equals(x, y), "rotation power " + (k + 1) + " must move a random image");
                }
            }
            assertArrayEquals(x, y);
        }
    }

    @Test
    void ninetyDegreeElementRotatesAConcreteImage() {
        // (di, dj) -> (-dj, di), and out(t) = x(R t): out row 0 is input column 0 read bottom-up,
        // i.e. a clockwise quarter turn of the picture.
        double[] x = {
            1, 2, 3,
            4, 5, 6,
            7, 8, 9};
        double[] expected = {
            7, 4, 1,
            8, 5, 2,
            9, 6, 3};
        assertArrayEquals(expected, PointGroup.C4.transformImage(rot90(PointGroup.C4), x, 3, 1));
        assertArrayEquals(expected, PointGroup.D4.transformImage(rot90(PointGroup.D4), x, 3, 1));
        // with two channels, the channel vectors move together
        double[] x2 = new double[18];
        double[] e2 = new double[18];
        for (int p = 0; p < 9; p++) {
            x2[2 * p] = x[p];
            x2[2 * p + 1] = -10 * x[p];
            e2[2 * p] = expected[p];
            e2[2 * p + 1] = -10 * expected[p];
        }
        assertArrayEquals(e2, PointGroup.C4.transformImage(rot90(PointGroup.C4), x2, 3, 2));
        // an even size: 2x2
        assertArrayEquals(new double[] {3, 1, 4, 2},
            PointGroup.C4.transformImage(rot90(PointGroup.C4), new double[] {1, 2, 3, 4}, 2, 1));
        // C2's element 1 is the half turn
        assertArrayEquals(new double[] {9, 8, 7, 6, 5, 4, 3, 2, 1}, PointGroup.C2.transformImage(1, x, 3, 1));
    }
}
