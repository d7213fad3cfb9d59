package io.eqntk.kernel;

import io.eqntk.arch.Architecture;
import io.eqntk.model.Padding;
import io.eqntk.model.Parameterization;
import io.eqntk.model.Subsampling;
import io.eqntk.group.PointGroup;
import io.eqntk.layer.AvgPool;
import io.eqntk.layer.Branches;
import io.eqntk.model.KernelOp;
import io.eqntk.layer.Conv;
import io.eqntk.layer.Dense;
import io.eqntk.layer.Flatten;
import io.eqntk.layer.GlobalAvgPool;
import io.eqntk.layer.GroupConv;
import io.eqntk.layer.GroupPool;
import io.eqntk.layer.Layer;
import io.eqntk.layer.LayerNorm;
import io.eqntk.layer.Lift;
import io.eqntk.nonlin.Activation;
import io.eqntk.layer.Pointwise;
import io.eqntk.layer.StencilLayer;

/**
 * A slow, independent reference for tests: the covariance over all index pairs ((h, t), (h', t')) — |G|^2
 * blocks, not the engine's |G| — built straight from the finite layers' definitions (KERNELS.md §3: a weight
 * pairs (s, b) with (s', b') exactly when h^-1 s = h'^-1 s' and h^-1 b = h'^-1 b'), with q^2 (and |G|^2 q^4)
 * direct sums and Math.acos / Math.asin. Only for tiny inputs.
 */
final class ReferenceKernel {
    /** Kernel over index pairs: g copies x h x w positions per slot. */
    private static final class State {
        PointGroup group;
        int g;
        int h;
        int w;
        double[][] sig; // [a][a'] a = (s*h + i)*w + j
        double[][] th;
        boolean reduced;
        /** The network input's channels (the base width of a first standard layer). */
        int channels;
        double sigS;
        double thS;

        int n() {
            return g * h * w;
        }
    }

    private ReferenceKernel() {
    }

    /** {NNGP, NTK} of (x, xp), images [h, w, c]. */
    static double[] pair(Architecture arch, double[] x, double[] xp, int h, int w, int c) {
        State sx = input(x, x, h, w, c);
        State sxp = input(xp, xp, h, w, c);
        State s = input(x, xp, h, w, c);
        State[] r = run(arch.layers(), s, sx, sxp);
        return new double[] {r[0].sigS, r[0].thS};
    }

    /** The layers on the pair state s with the two inputs' self states: {pair, self x, self x'} after them. */
    private static State[] run(java.util.List<Layer> layers, State s, State sx, State sxp) {
        for (Layer l : layers) {
            if (l instanceof io.eqntk.layer.Identity) {
                continue;
            }
            if (l instanceof Branches br) {
                // independent weights per branch: no cross terms, so the kernels add, weighted (KERNELS.md)
                double w = br.combine() == KernelOp.Combine.SUM ? 1 : 1.0 / br.branches().size();
                State[] sum = null;
                for (java.util.List<Layer> b : br.branches()) {
                    State[] out = run(b, copy(s), copy(sx), copy(sxp));
                    if (sum == null) {
                        sum = new State[] {scaled(out[0], w), scaled(out[1], w), scaled(out[2], w)};
                    } else {
                        for (int i = 0; i < 3; i++) {
                            addScaled(sum[i], out[i], w);
                        }
                    }
                }
                s = sum[0];
                sx = sum[1];
                sxp = sum[2];
                continue;
            }
            // self states first: their diagonals give the variances
            State ax = copy(sx);
            State axp = copy(sxp);
            sx = apply(l, sx, sx, sx);
            sxp = apply(l, sxp, axp, axp);
            s = apply(l, s, ax, axp);
        }
        return new State[] {s, sx, sxp};
    }

    private static State scaled(State s, double w) {
        State c = copy(s);
        c.sigS *= w;
        c.thS *= w;
        if (c.sig != null) {
            for (int i = 0; i < c.sig.length; i++) {
                for (int j = 0; j < c.sig[i].length; j++) {
                    c.sig[i][j] *= w;
                    c.th[i][j] *= w;
                }
            }
        }
        return c;
    }

    /** acc += w * s, entry by entry (both states of the same shape). */
    private static void addScaled(State acc, State s, double w) {
        if (acc.reduced != s.reduced || acc.n() != s.n()) {
            throw new IllegalArgumentException("branches of different shapes");
        }
        acc.sigS += w * s.sigS;
        acc.thS += w * s.thS;
        if (acc.sig != null) {
            for (int i = 0; i < acc.sig.length; i++) {
                for (int j = 0; j < acc.sig[i].length; j++) {
                    acc.sig[i][j] += w * s.sig[i][j];
                    acc.th[i][j] += w * s.th[i][j];
                }
            }
        }
    }

    private static State copy(State s) {
        State c = new State();
        c.group = s.group;
        c.g = s.g;
        c.h = s.h;
        c.w = s.w;
        c.reduced = s.reduced;
        c.channels = s.channels;
        c.sigS = s.sigS;
        c.thS = s.thS;
        if (s.sig != null) {
            c.sig = new double[s.sig.length][];
            c.th = new double[s.th.length][];
            for (int i = 0; i < s.sig.length; i++) {
                c.sig[i] = s.sig[i].clone();
                c.th[i] = s.th[i].clone();
            }
        }
        return c;
    }

    private static State input(double[] x, double[] xp, int h, int w, int c) {
        State s = new State();
        s.g = 1;
        s.h = h;
        s.w = w;
        s.channels = c;
        int p = h * w;
        s.sig = new double[p][p];
        s.th = new double[p][p];
        for (int a = 0; a < p; a++) {
            for (int b = 0; b < p; b++) {
                double acc = 0;
                for (int ch = 0; ch < c; ch++) {
                    acc += x[a * c + ch] * xp[b * c + ch];
                }
                s.sig[a][b] = acc / c;
            }
        }
        return s;
    }

    /** Applies layer l to state s; ax and axp are the two inputs' self states at the same depth. */
    private static State apply(Layer l, State s, State ax, State axp) {
        if (l instanceof StencilLayer) {
            return stencil((StencilLayer) l, s);
        }
        if (l instanceof Pointwise p) {
            return nonlinear(p.activation(), s, ax, axp);
        }
        if (l instanceof AvgPool a && !a.cells()) {
            return windowPool(a, s);
        }
        if (l instanceof LayerNorm n) {
            return normalize(n.axes() == io.eqntk.model.KernelOp.Normalize.Axes.ALL, s, ax, axp);
        }
        if (l instanceof AvgPool) {
            return avgPool(((AvgPool) l).size(), s);
        }
        if (l instanceof GlobalAvgPool || l instanceof GroupPool) {
            State o = new State();
            o.reduced = true;
            double a = 0;
            double b = 0;
            for (int i = 0; i < s.n(); i++) {
                for (int j = 0; j < s.n(); j++) {
                    a += s.sig[i][j];
                    b += s.th[i][j];
                }
            }
            o.sigS = a / ((double) s.n() * s.n());
            o.thS = b / ((double) s.n() * s.n());
            return o;
        }
        if (l instanceof Flatten) {
            State o = new State();
            o.reduced = true;
            double a = 0;
            double b = 0;
            for (int i = 0; i < s.n(); i++) {
                a += s.sig[i][i];
                b += s.th[i][i];
            }
            o.sigS = a / s.n();
            o.thS = b / s.n();
            return o;
        }
        if (l instanceof Dense) {
            String spec = l.spec();
            double wStd = key(spec, "w", 1.0);
            double bStd = key(spec, "b", 0.0);
            State o = copy(s);
            o.sigS = wStd * wStd * s.sigS + bStd * bStd;
            o.thS = wStd * wStd * s.thS + o.sigS;
            if (spec.contains("param=standard")) {
                // standard: the weights contribute n Σ_in, the bias 1 (derivatives of the unscaled parameters)
                o.thS = wStd * wStd * s.thS + key(spec, "n", 0) * s.sigS + (spec.contains("b=") ? 1 : 0);
            }
            return o;
        }
        throw new IllegalArgumentException("reference does not know " + l.spec());
    }

    private static double key(String spec, String k, double dflt) {
        int i = spec.indexOf(k + "=");
        if (i < 0) {
            return dflt;
        }
        int e = i + k.length() + 1;
        while (e < spec.length() && spec.charAt(e) != ',' && spec.charAt(e) != ')') {
            e++;
        }
        return Double.parseDouble(spec.substring(i + k.length() + 1, e));
    }

    private static State stencil(StencilLayer l, State s) {
        int q = l.filterSize();
        int r = (q - 1) / 2;
        Padding pad = l.padding();
        double wStd = l.wStd();
        double bStd = l.bStd() == null ? 0 : l.bStd();
        PointGroup group;
        int gin = s.g;
        if (l instanceof Lift) {
            group = ((Lift) l).group();
        } else if (l instanceof GroupConv) {
            group = s.group;
        } else if (l instanceof Conv) {
            group = PointGroup.C1;
        } else {
            throw new IllegalArgumentException();
        }
        boolean groupInput = l instanceof GroupConv;
        int go = group.order();
        int stride = l.stride();
        boolean same = pad == Padding.SAME;
        int ho = stride == 1 ? pad.outputSize(s.h, q) : new Subsampling(s.h, q, stride, same).outputs();
        int wo = stride == 1 ? pad.outputSize(s.w, q) : new Subsampling(s.w, q, stride, same).outputs();
        // output o's filter centre sits at input o·stride + origin (lax's SAME padding: the start minus padBefore)
        int rowOrigin = same ? r - new Subsampling(s.h, q, stride, true).padBefore() : pad.offset(q);
        int colOrigin = same ? r - new Subsampling(s.w, q, stride, true).padBefore() : pad.offset(q);
        boolean standard = l.parameterization() == Parameterization.STANDARD;
        double baseWidth = l.baseWidth() == 0 ? s.channels : l.baseWidth();
        State o = new State();
        o.g = go;
        o.h = ho;
        o.w = wo;
        int no = go * ho * wo;
        o.sig = new double[no][no];
        o.th = new double[no][no];
        double norm = wStd * wStd / ((groupInput ? gin : 1) * q * q);
        for (int h1 = 0; h1 < go; h1++) {
            for (int h2 = 0; h2 < go; h2++) {
                int i1 = group.inverse(h1);
                int i2 = group.inverse(h2);
                for (int t1 = 0; t1 < ho * wo; t1++) {
                    for (int t2 = 0; t2 < ho * wo; t2++) {
                        double as = 0;
                        double at = 0;
                        // every weight (u, e) pairs input (s1, b1) with (s2, b2) where h1^-1 s1 = u = h2^-1 s2, likewise b
                        for (int s1 = 0; s1 < (groupInput ? gin : 1); s1++) {
                            for (int s2 = 0; s2 < (groupInput ? gin : 1); s2++) {
                                if (groupInput && group.multiply(i1, s1) != group.multiply(i2, s2)) {
                                    continue;
                                }
                                for (int b1i = -r; b1i <= r; b1i++) {
                                    for (int b1j = -r; b1j <= r; b1j++) {
                                        for (int b2i = -r; b2i <= r; b2i++) {
                                            for (int b2j = -r; b2j <= r; b2j++) {
                                                if (group.actRow(i1, b1i, b1j) != group.actRow(i2, b2i, b2j)
                                                    || group.actCol(i1, b1i, b1j) != group.actCol(i2, b2i, b2j)) {
                                                    continue;
                                                }
                                                int a1 = index(s, s1, t1 / wo * stride + rowOrigin + b1i,
                                                    t1 % wo * stride + colOrigin + b1j, pad);
                                                int a2 = index(s, s2, t2 / wo * stride + rowOrigin + b2i,
                                                    t2 % wo * stride + colOrigin + b2j, pad);
                                                if (a1 < 0 || a2 < 0) {
                                                    continue;
                                                }
                                                as += s.sig[a1][a2];
                                                at += s.th[a1][a2];
                                            }
                                        }
                                    }
                                }
                            }
                        }
                        int o1 = h1 * ho * wo + t1;
                        int o2 = h2 * ho * wo + t2;
                        o.sig[o1][o2] = norm * as + bStd * bStd;
                        o.th[o1][o2] = norm * at + o.sig[o1][o2];
                        if (standard) {
                            // d f / d w of the unscaled weights: n |G_in| q² A(P) = n * (sum of matched products)
                            o.th[o1][o2] = norm * at + baseWidth * as + (l.bStd() == null ? 0 : 1);
                        }
                    }
                }
            }
        }
        o.group = group;
        o.channels = s.channels;
        return o;
    }

    private static int index(State s, int copy, int i, int j, Padding pad) {
        if (pad == Padding.CIRCULAR) {
            i = Math.floorMod(i, s.h);
            j = Math.floorMod(j, s.w);
        } else if (i < 0 || i >= s.h || j < 0 || j >= s.w) {
            return -1;
        }
        return (copy * s.h + i) * s.w + j;
    }

    /**
     * Layer normalisation's limit: each entry over the square roots of its two self-variances, v(a) (channels) or
     * their mean over all copies and positions (all), 0 where a variance is 0.
     */
    private static State normalize(boolean all, State s, State ax, State axp) {
        State o = copy(s);
        if (s.reduced) {
            double f = inverseRoot(ax.sigS) * inverseRoot(axp.sigS);
            o.sigS = f * s.sigS;
            o.thS = f * s.thS;
            return o;
        }
        double meanA = 0;
        double meanB = 0;
        for (int a = 0; a < s.n(); a++) {
            meanA += ax.sig[a][a] / s.n();
            meanB += axp.sig[a][a] / s.n();
        }
        for (int a = 0; a < s.n(); a++) {
            for (int b = 0; b < s.n(); b++) {
                double f = all ? inverseRoot(meanA) * inverseRoot(meanB)
                    : inverseRoot(ax.sig[a][a]) * inverseRoot(axp.sig[b][b]);
                o.sig[a][b] = f * s.sig[a][b];
                o.th[a][b] = f * s.th[a][b];
            }
        }
        return o;
    }

    private static double inverseRoot(double v) {
        return v > 0 ? 1 / Math.sqrt(v) : 0;
    }

    private static State nonlinear(Activation relu, State s, State ax, State axp) {
        State o = copy(s);
        if (s.reduced) {
            double[] r = phi(relu, ax.sigS, axp.sigS, s.sigS);
            o.sigS = r[0];
            o.thS = r[1] * s.thS;
            return o;
        }
        for (int a = 0; a < s.n(); a++) {
            for (int b = 0; b < s.n(); b++) {
                double[] r = phi(relu, ax.sig[a][a], axp.sig[b][b], s.sig[a][b]);
                o.sig[a][b] = r[0];
                o.th[a][b] = r[1] * s.th[a][b];
            }
        }
        return o;
    }

    /**
     * {E φ(u)φ(v), E φ'(u)φ'(v)} by the textbook arc-cosine / arcsine formulas for ReLU and erf (independent of the
     * engine's maps); other activations by their own expectation maps (tested against quadrature and Monte Carlo).
     */
    static double[] phi(Activation phi, double q11, double q22, double q12) {
        boolean relu = phi.name().equals("relu");
        if (!relu && !phi.name().equals("erf")) {
            double[] e = new double[2];
            phi.expectations(q11, q22, q12, e, 0);
            return e;
        }
        if (relu) {
            double norm = Math.sqrt(q11 * q22);
            if (norm == 0) {
                return new double[] {0, 0.5};
            }
            double rho = Math.max(-1, Math.min(1, q12 / norm));
            double t = Math.acos(rho);
            return new double[] {norm * (Math.sin(t) + (Math.PI - t) * Math.cos(t)) / (2 * Math.PI),
                (Math.PI - t) / (2 * Math.PI)};
        }
        double d = Math.sqrt((1 + 2 * q11) * (1 + 2 * q22));
        return new double[] {2 / Math.PI * Math.asin(2 * q12 / d),
            4 / Math.PI / Math.sqrt((1 + 2 * q11) * (1 + 2 * q22) - 4 * q12 * q12)};
    }

    private static State avgPool(int k, State s) {
        State o = new State();
        o.group = s.group;
        o.g = s.g;
        o.h = s.h / k;
        o.w = s.w / k;
        int no = o.n();
        o.sig = new double[no][no];
        o.th = new double[no][no];
        for (int a = 0; a < s.n(); a++) {
            int ga = a / (s.h * s.w);
            int ia = (a / s.w) % s.h;
            int ja = a % s.w;
            int oa = (ga * o.h + ia / k) * o.w + ja / k;
            for (int b = 0; b < s.n(); b++) {
                int gb = b / (s.h * s.w);
                int ib = (b / s.w) % s.h;
                int jb = b % s.w;
                int ob = (gb * o.h + ib / k) * o.w + jb / k;
                o.sig[oa][ob] += s.sig[a][b] / (k * k * k * k);
                o.th[oa][ob] += s.th[a][b] / (k * k * k * k);
            }
        }
        return o;
    }

    /** avgpool(k, PAD, stride=s) from its definition: each output averages its window's k² taps (zeros outside). */
    private static State windowPool(AvgPool l, State s) {
        boolean same = l.padding() == Padding.SAME;
        int k = l.size();
        Subsampling rows = new Subsampling(s.h, k, l.stride(), same);
        Subsampling cols = new Subsampling(s.w, k, l.stride(), same);
        State o = new State();
        o.group = s.group;
        o.g = s.g;
        o.h = rows.outputs();
        o.w = cols.outputs();
        o.channels = s.channels;
        int no = o.n();
        o.sig = new double[no][no];
        o.th = new double[no][no];
        double scale = 1.0 / ((double) k * k * k * k);
        for (int a = 0; a < no; a++) {
            for (int b = 0; b < no; b++) {
                int ga = a / (o.h * o.w);
                int gb = b / (o.h * o.w);
                int oa = a % (o.h * o.w);
                int ob = b % (o.h * o.w);
                for (int u1 = 0; u1 < k * k; u1++) {
                    int ia = rows.start(oa / o.w) + u1 / k;
                    int ja = cols.start(oa % o.w) + u1 % k;
                    for (int u2 = 0; u2 < k * k; u2++) {
                        int ib = rows.start(ob / o.w) + u2 / k;
                        int jb = cols.start(ob % o.w) + u2 % k;
                        int x1 = index(s, ga, ia, ja, Padding.SAME);
                        int x2 = index(s, gb, ib, jb, Padding.SAME);
                        if (x1 >= 0 && x2 >= 0) {
                            o.sig[a][b] += scale * s.sig[x1][x2];
                            o.th[a][b] += scale * s.th[x1][x2];
                        }
                    }
                }
            }
        }
        return o;
    }
}
