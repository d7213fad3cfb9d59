package io.eqntk.kernel;

import io.eqntk.model.Padding;
import io.eqntk.group.PointGroup;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fast path (identity stencil in each element's frame, fused slabs) against the reference path (the
 * separable stencil with offset g·b in the second slot) and against a direct q^2 sum.
 */
class StencilTest {
    private static double[] random(int len, long seed) {
        Random r = new Random(seed);
        double[] a = new double[len];
        for (int i = 0; i < len; i++) {
            a[i] = r.nextGaussian();
        }
        return a;
    }

    /** Direct definition: out(t, t') = sum_b in(t + off + b, t' + off + g b), zero or wrapped outside. */
    private static double direct(double[] in, int n, PointGroup grp, int g, int q, Padding pad, int oi, int oj, int oi2, int oj2) {
        int r = (q - 1) / 2;
        int off = pad.offset(q);
        double s = 0;
        for (int bi = -r; bi <= r; bi++) {
            for (int bj = -r; bj <= r; bj++) {
                int i = oi + off + bi;
                int j = oj + off + bj;
                int i2 = oi2 + off + grp.actRow(g, bi, bj);
                int j2 = oj2 + off + grp.actCol(g, bi, bj);
                if (pad == Padding.CIRCULAR) {
                    i = Math.floorMod(i, n);
                    j = Math.floorMod(j, n);
                    i2 = Math.floorMod(i2, n);
                    j2 = Math.floorMod(j2, n);
                } else if (i < 0 || j < 0 || i2 < 0 || j2 < 0 || i >= n || j >= n || i2 >= n || j2 >= n) {
                    continue;
                }
                s += in[((i * n + j) * n + i2) * n + j2];
            }
        }
        return s;
    }

    @Test
    void frameStencilEqualsReferenceStencilForEveryElementAndPadding() {
        for (int n : new int[] {5, 6}) {
            int p = n * n;
            double[] in = random(p * p, n);
            double[] scratch = new double[p * p];
            double[] ref = new double[p * p];
            double[] perm = new double[p * p];
            double[] fast = new double[p * p];
            double[] slab = new double[n * n];
            for (int q : new int[] {1, 3, 5}) {
                for (Padding pad : Padding.values()) {
                    int no = pad.outputSize(n, q);
                    for (PointGroup grp : PointGroup.all()) {
                        for (int g = 0; g < grp.order(); g++) {
                            FullStencil.full(in, n, n, grp, g, q, pad, scratch, ref);
                            Stencil.permuteSecondSlot(in, p, Stencil.positionPermutation(grp, g, n), perm);
                            Stencil.identity(perm, n, n, q, pad, slab, fast, 2.0, 0.5, null);
                            int[] outPerm = Stencil.positionPermutation(grp, g, no);
                            int po = no * no;
                            for (int t = 0; t < po; t++) {
                                for (int u = 0; u < po; u++) {
                                    double want = direct(in, n, grp, g, q, pad, t / no, t % no, outPerm[u] / no, outPerm[u] % no);
                                    String where = grp + " g=" + g + " q=" + q + " " + pad + " n=" + n;
                                    assertEquals(want, ref[t * po + outPerm[u]], 1e-12, "reference " + where);
                                    assertEquals(2.0 * want + 0.5, fast[t * po + u], 1e-12, "fast " + where);
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void rectangularIdentityStencilMatchesDirectSum() {
        int h = 4;
        int w = 7;
        int p = h * w;
        double[] in = random(p * p, 3);
        double[] addend = random(p * p, 4);
        double[] out = new double[p * p];
        for (Padding pad : Padding.values()) {
            int ho = pad.outputSize(h, 3);
            int wo = pad.outputSize(w, 3);
            Stencil.identity(in, h, w, 3, pad, new double[w * w], out, 0.5, 0, addend);
            for (int oi = 0; oi < ho; oi++) {
                for (int oj = 0; oj < wo; oj++) {
                    for (int oi2 = 0; oi2 < ho; oi2++) {
                        for (int oj2 = 0; oj2 < wo; oj2++) {
                            double s = 0;
                            for (int bi = -1; bi <= 1; bi++) {
                                for (int bj = -1; bj <= 1; bj++) {
                                    int off = pad.offset(3);
                                    int i = oi + off + bi, j = oj + off + bj, i2 = oi2 + off + bi, j2 = oj2 + off + bj;
                                    if (pad == Padding.CIRCULAR) {
                                        i = Math.floorMod(i, h);
                                        i2 = Math.floorMod(i2, h);
                                        j = Math.floorMod(j, w);
                                        j2 = Math.floorMod(j2, w);
                                    } else if (i < 0 || i2 < 0 || j < 0 || j2 < 0 || i >= h || i2 >= h || j >= w || j2 >= w) {
                                        continue;
                                    }
                                    s += in[((i * w + j) * h + i2) * w + j2];
                                }
                            }
                            int o = ((oi * wo + oj) * ho + oi2) * wo + oj2;
                            assertEquals(0.5 * s + addend[o], out[o], 1e-12, pad + " " + o);
                        }
                    }
                }
            }
        }
    }

    /** One block shape for the long-row checks: grid, padding, filter, with or without an addend. */
    private interface StencilCase {
        void check(int h, int w, Padding pad, int q, int len, boolean withAddend);
    }

    /** Grids from 1x1 to 32x32 (narrow, rectangular, square), SAME and VALID, q = 1, 3, 5, with and without addend. */
    private static void forEachLongRowCase(StencilCase c) {
        int[][] grids = {{1, 1}, {3, 3}, {4, 7}, {7, 4}, {5, 5}, {10, 10}, {9, 15}, {16, 16}, {12, 20}, {32, 32}};
        for (int[] grid : grids) {
            for (Padding pad : new Padding[] {Padding.SAME, Padding.VALID}) {
                for (int q : new int[] {1, 3, 5}) {
                    int ho = pad.outputSize(grid[0], q);
                    int wo = pad.outputSize(grid[1], q);
                    if (ho > 0 && wo > 0) {
                        c.check(grid[0], grid[1], pad, q, ho * wo * ho * wo, false);
                        c.check(grid[0], grid[1], pad, q, ho * wo * ho * wo, true);
                    }
                }
            }
        }
    }

    /** The long-row stencil (a slab of slabSize entries) gives the bits of the w x w slab routine, up to 32x32. */
    @Test
    void longRowStencilGivesTheBitsOfTheSlabStencil() {
        forEachLongRowCase((h, w, pad, q, len, withAddend) -> {
            int p = h * w;
            double[] in = withZeros(random(p * p, 17 + h * 31 + w));
            double[] add = withAddend ? random(p * p, 5) : null;
            double[] slabbed = new double[len];
            double[] longRows = new double[len];
            Stencil.identity(in, h, w, q, pad, new double[w * w], slabbed, 0.7, 0.3, add);
            int size = Stencil.slabSize(h, w, q, pad);
            assertTrue(size > w * w || h == 1 || pad == Padding.VALID);
            Stencil.identity(in, h, w, q, pad, new double[size], longRows, 0.7, 0.3, add);
            for (int t = 0; t < len; t++) {
                assertEquals(Double.doubleToRawLongBits(slabbed[t]), Double.doubleToRawLongBits(longRows[t]),
                    h + "x" + w + " q " + q + " " + pad + " entry " + t);
            }
        });
    }

    /** The same for the float32 twin, {@link Stencil32} (its vector plane adds in float lanes). */
    @Test
    void float32LongRowStencilGivesTheBitsOfItsSlabStencil() {
        forEachLongRowCase((h, w, pad, q, len, withAddend) -> {
            int p = h * w;
            float[] in = toFloat(withZeros(random(p * p, 17 + h * 31 + w)));
            float[] add = withAddend ? toFloat(random(p * p, 5)) : null;
            float[] slabbed = new float[len];
            float[] longRows = new float[len];
            Stencil32.identity(in, h, w, q, pad, new float[w * w], slabbed, 0.7f, 0.3f, add);
            Stencil32.identity(in, h, w, q, pad, new float[Stencil32.slabSize(h, w, q, pad)], longRows, 0.7f, 0.3f,
                add);
            for (int t = 0; t < len; t++) {
                assertEquals(Float.floatToRawIntBits(slabbed[t]), Float.floatToRawIntBits(longRows[t]),
                    h + "x" + w + " q " + q + " " + pad + " entry " + t);
            }
        });
    }

    /** Some entries +0 and some -0 (zero pixels give both), so that the sums' start from +0 is checked too. */
    private static double[] withZeros(double[] a) {
        for (int i = 0; i < a.length; i += 7) {
            a[i] = i % 2 == 0 ? 0.0 : -0.0;
        }
        return a;
    }

    static float[] toFloat(double[] a) {
        float[] f = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            f[i] = (float) a[i];
        }
        return f;
    }
}
