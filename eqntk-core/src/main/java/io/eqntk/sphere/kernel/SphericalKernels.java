package io.eqntk.sphere.kernel;

import io.eqntk.sphere.S2Transform;
import io.eqntk.sphere.So3Transform;
import io.eqntk.sphere.SphereSignal;
import io.eqntk.sphere.SphericalLayer;
import io.eqntk.sphere.SphericalNetwork;
import io.eqntk.sphere.SphericalPlan;
import io.eqntk.sphere.WignerD;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Analytic NNGP and NTK of a spherical network of infinite width (docs/SO3_KERNELS.md): exact for the network
 * that {@link SphericalNetwork} runs on the grids, with infinitely many channels. A pair's kernel before pooling
 * lives on SO(3) x SO(3) (N^2 entries, N = 8L^3): the lift is one product of sampled features, so3conv acts on
 * two-sided Wigner coefficients, nonlinearities act on grid samples. The self-variances of an input come from
 * its own pass, kept (only their diagonals) per nonlinearity. Plans of a lift, maps and a pool take the cheaper
 * {@link LiftPoolPath}. Not thread-safe; the methods with a thread count run their own workers.
 */
public final class SphericalKernels {
    /** NNGP and NTK of one pair. */
    public record Pair(double nngp, double ntk) {
    }

    /**
     * Per nonlinearity, the self-kernel's diagonal (map: N values; vector: one) of one input, and its sampled lift
     * features (they depend on the input alone, so a Gram matrix computes them once per input).
     */
    private record SelfDiagonals(List<double[]> diagonals, Pair self, double[][] features) {
    }

    private final SphericalPlan plan;
    private final boolean fast;
    private final LiftPoolPath liftPool;

    public SphericalKernels(List<SphericalLayer> layers, int inputBandwidth, int inputChannels) {
        this(SphericalPlan.of(layers, inputBandwidth, inputChannels));
    }

    /** Largest SO(3) bandwidth of an analytic kernel: a pair's N x N matrices at L = 12 are 1.5 GB each. */
    public static final int MAX_BANDWIDTH = 12;

    /** Bytes a pass holds at SO(3) bandwidth L: three N x N matrices (N = 8L^3) and the transforms' buffers. */
    static long passBytes(int bandwidth) {
        long n = 8L * bandwidth * bandwidth * bandwidth;
        return 4 * 8 * n * n;
    }

    public SphericalKernels(SphericalPlan plan) {
        this(plan, true);
    }

    /** With {@code fast} false every pair takes the general pass (the reference of the fast paths' tests). */
    SphericalKernels(SphericalPlan plan, boolean fast) {
        for (SphericalPlan.Step s : plan.steps()) {
            if (s.out == SphericalPlan.Shape.SO3 && s.bandwidthOut > MAX_BANDWIDTH) {
                long n = 8L * s.bandwidthOut * s.bandwidthOut * s.bandwidthOut;
                throw new io.eqntk.EqntkException("layer " + (s.index + 1) + " '" + s.layer.describe() + "': the "
                    + "analytic kernel at bandwidth " + s.bandwidthOut + " needs " + n + " x " + n + " matrices per pair"
                    + "; at most bandwidth " + MAX_BANDWIDTH + " is supported");
            }
            long need = s.out == SphericalPlan.Shape.SO3 ? passBytes(s.bandwidthOut) : 0;
            if (need > Runtime.getRuntime().maxMemory()) {
                throw new io.eqntk.EqntkException(String.format(java.util.Locale.ROOT, "layer %d '%s': the analytic "
                    + "kernel at bandwidth %d needs about %.1f GB of memory per pair, but the JVM may use %.1f GB "
                    + "(raise it with EQNTK_JAVA_OPTS=-Xmx...)", s.index + 1, s.layer.describe(), s.bandwidthOut,
                    need / 1e9, Runtime.getRuntime().maxMemory() / 1e9));
            }
        }
        this.plan = plan;
        this.fast = fast;
        this.liftPool = fast ? LiftPoolPath.of(plan) : null;
    }

    public SphericalPlan plan() {
        return plan;
    }

    /** Whether pairs take {@link LiftPoolPath} (lift, maps, pool, vectors with dense enough filter rings). */
    public boolean liftPoolPath() {
        return liftPool != null;
    }

    public Pair pair(SphereSignal x, SphereSignal y) {
        if (x == y) {
            return prepareAll(List.of(x), "x", 1).self(0);
        }
        double[][] k = cross(List.of(x), List.of(y), 1);
        return new Pair(k[0][0], k[1][0]);
    }

    /** {nngp, ntk} Gram matrices, n x n row-major. */
    public double[][] gram(List<SphereSignal> xs) {
        return gram(xs, 1);
    }

    /** {nngp, ntk} cross matrices, n1 x n2 row-major. */
    public double[][] cross(List<SphereSignal> xs, List<SphereSignal> ys) {
        return cross(xs, ys, 1);
    }

    /**
     * {nngp, ntk} Gram matrices on worker threads, each with its own plan: every entry is computed by one
     * worker alone, so the bits do not depend on the thread count.
     */
    public double[][] gram(List<SphereSignal> xs, int threads) {
        Prepared d = prepareAll(xs, "x", threads);
        int n = xs.size();
        double[] nngp = new double[n * n], ntk = new double[n * n];
        parallel(n, threads, (k, i) -> {
            nngp[i * n + i] = d.self(i).nngp;
            ntk[i * n + i] = d.self(i).ntk;
            k.row(d, i, d, i + 1, n, nngp, ntk, i * n + i + 1);
            for (int j = i + 1; j < n; j++) {
                nngp[j * n + i] = nngp[i * n + j];
                ntk[j * n + i] = ntk[i * n + j];
            }
        });
        return new double[][] {nngp, ntk};
    }

    /** {nngp, ntk} cross matrices, n1 x n2 row-major, on worker threads (bits independent of their count). */
    public double[][] cross(List<SphereSignal> xs, List<SphereSignal> ys, int threads) {
        Prepared dx = prepareAll(xs, "x", threads), dy = prepareAll(ys, "x'", threads);
        int n1 = xs.size(), n2 = ys.size();
        double[] nngp = new double[n1 * n2], ntk = new double[n1 * n2];
        parallel(n1, threads, (k, i) -> k.row(dx, i, dy, 0, n2, nngp, ntk, i * n2));
        return new double[][] {nngp, ntk};
    }

    /**
     * {nngp, ntk} Gram matrices of groups (molecules as sums of their atoms): group g holds inputs
     * starts[g] .. starts[g + 1] - 1, and K(G, H) = sum over its inputs' pairs. G x G row-major, symmetric; memory
     * G^2, not n^2. Each group pair is summed by one worker in a fixed order: bits independent of the thread count.
     */
    public double[][] groupGram(List<SphereSignal> xs, int[] starts, int threads) {
        int g = requireStarts(starts, xs.size(), "x");
        Prepared d = prepareAll(xs, "x", threads);
        double[] nngp = new double[g * g], ntk = new double[g * g];
        parallel(g, threads, (k, a) -> {
            for (int b = a; b < g; b++) {
                double[] s = k.groupSum(d, starts, a, d, starts, b, a == b);
                nngp[a * g + b] = nngp[b * g + a] = s[0];
                ntk[a * g + b] = ntk[b * g + a] = s[1];
            }
        });
        return new double[][] {nngp, ntk};
    }

    /** {nngp, ntk} group sums between the groups of xs (rows) and of ys (columns), as {@link #groupGram}. */
    public double[][] groupCross(List<SphereSignal> xs, int[] startsX, List<SphereSignal> ys, int[] startsY,
                                 int threads) {
        int g1 = requireStarts(startsX, xs.size(), "x"), g2 = requireStarts(startsY, ys.size(), "x'");
        Prepared dx = prepareAll(xs, "x", threads), dy = prepareAll(ys, "x'", threads);
        double[] nngp = new double[g1 * g2], ntk = new double[g1 * g2];
        parallel(g1, threads, (k, a) -> {
            for (int b = 0; b < g2; b++) {
                double[] s = k.groupSum(dx, startsX, a, dy, startsY, b, false);
                nngp[a * g2 + b] = s[0];
                ntk[a * g2 + b] = s[1];
            }
        });
        return new double[][] {nngp, ntk};
    }

    /** {nngp, ntk} summed over the pairs of group a of dx and group b of dy; within one group each pair once, doubled. */
    private double[] groupSum(Prepared dx, int[] sx, int a, Prepared dy, int[] sy, int b, boolean same) {
        int width = sy[b + 1] - sy[b];
        double[] rn = new double[width], rt = new double[width];
        double sn = 0, st = 0;
        for (int i = sx[a]; i < sx[a + 1]; i++) {
            int j0 = same ? i + 1 : sy[b], len = sy[b + 1] - j0;
            row(dx, i, dy, j0, sy[b + 1], rn, rt, 0);
            double times = same ? 2 : 1;
            if (same) {
                sn += dx.self(i).nngp;
                st += dx.self(i).ntk;
            }
            for (int j = 0; j < len; j++) {
                sn += times * rn[j];
                st += times * rt[j];
            }
        }
        return new double[] {sn, st};
    }

    private static int requireStarts(int[] starts, int n, String name) {
        if (starts.length < 1 || starts[0] != 0 || starts[starts.length - 1] != n) {
            throw new io.eqntk.EqntkException(name + ": group starts must run from 0 to " + n);
        }
        for (int g = 1; g < starts.length; g++) {
            if (starts[g] < starts[g - 1]) {
                throw new io.eqntk.EqntkException(name + ": group starts must not decrease");
            }
        }
        return starts.length - 1;
    }

    /** Inputs ready for pairs: for the general pass each one's self pass, for the lift-pool path one batch. */
    private static final class Prepared {
        final SelfDiagonals[] general;
        final LiftPoolPath.Batch lift;

        Prepared(SelfDiagonals[] general, LiftPoolPath.Batch lift) {
            this.general = general;
            this.lift = lift;
        }

        Pair self(int i) {
            return lift != null ? lift.self[i] : general[i].self;
        }
    }

    /** Pairs of input i of dx with inputs j0 .. j1 - 1 of dy, into nngp/ntk from {@code out}. */
    private void row(Prepared dx, int i, Prepared dy, int j0, int j1, double[] nngp, double[] ntk, int out) {
        if (dx.lift != null) {
            liftPool.pairs(dx.lift, i, dy.lift, j0, j1, nngp, ntk, out);
            return;
        }
        SelfDiagonals x = dx.general[i];
        for (int j = j0; j < j1; j++) {
            SelfDiagonals y = dy.general[j];
            Pair p = run(x.features, y.features, x.diagonals, y.diagonals, null);
            nngp[out + j - j0] = p.nngp;
            ntk[out + j - j0] = p.ntk;
        }
    }

    private Prepared prepareAll(List<SphereSignal> xs, String name, int threads) {
        for (int i = 0; i < xs.size(); i++) {
            plan.requireInput(xs.get(i), name + "[" + i + "]");
        }
        if (liftPool != null) {
            LiftPoolPath.Batch batch = liftPool.batch(xs.size());
            parallel(xs.size(), threads, (k, i) ->
                k.liftPool.prepare(batch, i, k.liftFeatures(k.plan.steps().get(0), xs.get(i))));
            return new Prepared(null, batch);
        }
        SelfDiagonals[] d = new SelfDiagonals[xs.size()];
        parallel(xs.size(), threads, (k, i) -> {
            double[][] features = k.liftFeatures(k.plan.steps().get(0), xs.get(i));
            List<double[]> record = new ArrayList<>();
            Pair p = k.run(features, features, null, null, record);
            d[i] = new SelfDiagonals(record, p, features);
        });
        return new Prepared(d, null);
    }

    private interface IndexTask {
        void run(SphericalKernels kernels, int index);
    }

    /** task(k, i) for i < count on up to {@code threads} workers, each with its own kernels (plans hold buffers). */
    private void parallel(int count, int threads, IndexTask task) {
        if (threads < 1) {
            throw new io.eqntk.EqntkException("threads must be at least 1, got " + threads);
        }
        int workers = Math.min(threads, count);
        if (workers <= 1) {
            for (int i = 0; i < count; i++) {
                task.run(this, i);
            }
            return;
        }
        AtomicInteger next = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread[] pool = new Thread[workers];
        for (int w = 0; w < workers; w++) {
            SphericalKernels k = w == 0 ? this : copy();
            pool[w] = new Thread(() -> {
                try {
                    for (int i; failure.get() == null && (i = next.getAndIncrement()) < count; ) {
                        task.run(k, i);
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }, "eqntk-sphere-" + w);
            pool[w].start();
        }
        try {
            for (Thread t : pool) {
                t.join();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new io.eqntk.EqntkException("interrupted", e);
        }
        Throwable e = failure.get();
        if (e instanceof RuntimeException r) {
            throw r;
        } else if (e instanceof Error err) {
            throw err;
        } else if (e != null) {
            throw new IllegalStateException(e);
        }
    }

    /** The same kernels on a plan of their own (for another thread). */
    private SphericalKernels copy() {
        List<SphericalLayer> layers = plan.steps().stream().map(st -> st.layer).toList();
        return new SphericalKernels(SphericalPlan.of(layers, plan.inputBandwidth(), plan.inputChannels()), fast);
    }

    /**
     * One pass through the layers. For a self pass (dx == null) the diagonals are read from the pair's own
     * kernel and recorded.
     */
    private Pair run(double[][] fx, double[][] fy, List<double[]> dx, List<double[]> dy, List<double[]> record) {
        double[] sigma = null, theta = null;
        double sv = 0, tv = 0;
        int nonlinear = 0;
        double[] tmp = new double[2];
        for (SphericalPlan.Step step : plan.steps()) {
            SphericalLayer layer = step.layer;
            if (layer instanceof SphericalLayer.S2Lift lift) {
                sigma = liftKernel(lift, fx, fy);
                theta = sigma.clone();
            } else if (layer instanceof SphericalLayer.So3Conv conv) {
                double w2 = conv.wStd() * conv.wStd(), b2 = conv.bStd() * conv.bStd();
                double[] s = convolve(step, sigma);
                sigma = null; // at large L each N x N matrix is gigabytes: hold at most three
                double[] t = convolve(step, theta);
                for (int i = 0; i < s.length; i++) {
                    s[i] = w2 * s[i] + b2;
                    t[i] = s[i] + w2 * t[i];
                }
                sigma = s;
                theta = t;
            } else if (layer instanceof SphericalLayer.So3Pool) {
                double[] q = plan.so3(step.bandwidthIn).meanWeights();
                sv = bilinear(q, sigma);
                tv = bilinear(q, theta);
                sigma = theta = null;
            } else if (layer instanceof SphericalLayer.Activation act) {
                if (step.in == SphericalPlan.Shape.SO3) {
                    int n = q(step);
                    double[] a, b;
                    if (dx == null) {
                        a = new double[n];
                        for (int i = 0; i < n; i++) {
                            a[i] = sigma[i * n + i];
                        }
                        record.add(a);
                        b = a;
                    } else {
                        a = dx.get(nonlinear);
                        b = dy.get(nonlinear);
                    }
                    for (int i = 0; i < n; i++) {
                        for (int j = 0; j < n; j++) {
                            act.expectations(a[i], b[j], sigma[i * n + j], tmp);
                            sigma[i * n + j] = tmp[0];
                            theta[i * n + j] *= tmp[1];
                        }
                    }
                } else {
                    double a, b;
                    if (dx == null) {
                        a = b = sv;
                        record.add(new double[] {sv});
                    } else {
                        a = dx.get(nonlinear)[0];
                        b = dy.get(nonlinear)[0];
                    }
                    double[] st = {sv, tv};
                    vectorLayer(act, a, b, st, tmp);
                    sv = st[0];
                    tv = st[1];
                }
                nonlinear++;
            } else if (layer instanceof SphericalLayer.Dense) {
                double[] st = {sv, tv};
                vectorLayer(layer, 0, 0, st, tmp);
                sv = st[0];
                tv = st[1];
            }
        }
        return new Pair(sv, tv);
    }

    /**
     * A layer on pooled vectors, in place on st = {NNGP, NTK}: a nonlinearity (self-variances a, b) or dense;
     * shared with {@link LiftPoolPath}.
     */
    static void vectorLayer(SphericalLayer layer, double a, double b, double[] st, double[] tmp) {
        if (layer instanceof SphericalLayer.Activation act) {
            act.expectations(a, b, st[0], tmp);
            st[0] = tmp[0];
            st[1] *= tmp[1];
        } else if (layer instanceof SphericalLayer.Dense dense) {
            double w2 = dense.wStd() * dense.wStd();
            st[0] = w2 * st[0] + dense.bStd() * dense.bStd();
            st[1] = st[0] + w2 * st[1];
        }
    }

    private int q(SphericalPlan.Step step) {
        return plan.so3(step.bandwidthIn).gridSize();
    }

    private static double bilinear(double[] q, double[] k) {
        int n = q.length;
        double s = 0;
        for (int i = 0; i < n; i++) {
            double r = 0;
            for (int j = 0; j < n; j++) {
                r += k[i * n + j] * q[j];
            }
            s += q[i] * r;
        }
        return s;
    }

    /** Σ(R_a, R_b) = W^2/(C n) sum_{c,i} (P x_c)(R_a ω_i) (P y_c)(R_b ω_i) + b^2 on the output grid. */
    private static double[] liftKernel(SphericalLayer.S2Lift lift, double[][] fx, double[][] fy) {
        int n = fx[0].length;
        double scale = lift.wStd() * lift.wStd() / fx.length;
        double[] k = new double[n * n];
        java.util.Arrays.fill(k, lift.bStd() * lift.bStd());
        for (int a = 0; a < n; a++) {
            for (int p = 0; p < fx.length; p++) {
                double fa = scale * fx[p][a];
                double[] g = fy[p];
                int row = a * n;
                for (int b = 0; b < n; b++) {
                    k[row + b] += fa * g[b];
                }
            }
        }
        return k;
    }

    /** (P x_c)(R ω_i) on the output grid, one row per (c, i). */
    double[][] liftFeatures(SphericalPlan.Step step, SphereSignal x) {
        S2Transform in = plan.s2(step.bandwidthIn);
        So3Transform out = plan.so3(step.bandwidthOut);
        int bw = step.bandwidthOut, pts = step.filterPoints();
        int size = WignerD.size(bw);
        double[] cr = new double[bw * bw], ci = new double[bw * bw];
        double[] fr = new double[size], fi = new double[size];
        double[][] feats = new double[x.channelCount() * pts][];
        for (int c = 0; c < x.channelCount(); c++) {
            in.analyze(x.channels()[c], bw, cr, ci);
            for (int i = 0; i < pts; i++) {
                double[] br = step.basis[0][i], bi = step.basis[1][i];
                for (int l = 0; l < bw; l++) {
                    for (int m = -l; m <= l; m++) {
                        double ar = cr[S2Transform.index(l, m)], ai = ci[S2Transform.index(l, m)];
                        for (int k = -l; k <= l; k++) {
                            int j = S2Transform.index(l, k), at = WignerD.index(l, m, k);
                            fr[at] = ar * br[j] - ai * bi[j];
                            fi[at] = ar * bi[j] + ai * br[j];
                        }
                    }
                }
                double[] f = new double[out.gridSize()];
                out.synthesize(fr, fi, bw, f, null);
                feats[c * pts + i] = f;
            }
        }
        return feats;
    }

    /** (1/n) sum_i K(R Q_i, R' Q_i), band-limited: two-sided analysis, the pair operator, two-sided synthesis. */
    double[] convolve(SphericalPlan.Step step, double[] k) {
        So3Transform in = plan.so3(step.bandwidthIn), out = plan.so3(step.bandwidthOut);
        int bw = step.bandwidthOut, m = WignerD.size(bw);
        int nIn = in.gridSize(), nOut = out.gridSize();
        // rows: Y[a][ν] = conj(analysis of K(R_a, ·))
        double[] yr = new double[nIn * m], yi = new double[nIn * m];
        double[] row = new double[nIn], cr = new double[m], ci = new double[m];
        for (int a = 0; a < nIn; a++) {
            System.arraycopy(k, a * nIn, row, 0, nIn);
            in.analyze(row, null, bw, cr, ci);
            for (int v = 0; v < m; v++) {
                yr[a * m + v] = cr[v];
                yi[a * m + v] = -ci[v];
            }
        }
        // columns: K^[μ][ν] = analysis of Y[·][ν]
        double[] hr = new double[m * m], hi = new double[m * m];
        double[] colR = new double[nIn], colI = new double[nIn];
        for (int v = 0; v < m; v++) {
            for (int a = 0; a < nIn; a++) {
                colR[a] = yr[a * m + v];
                colI[a] = yi[a * m + v];
            }
            in.analyze(colR, colI, bw, cr, ci);
            for (int u = 0; u < m; u++) {
                hr[u * m + v] = cr[u];
                hi[u * m + v] = ci[u];
            }
        }
        double[][] g = applyPairOperator(step, hr, hi, bw, m);
        // synthesis: Z[μ][b] = conj(synth(conj(K^[μ][·])))(R_b), then K(R_a, R_b) = Re synth(Z[·][b])(R_a)
        double[] zr = new double[m * nOut], zi = new double[m * nOut];
        double[] sr = new double[nOut], si = new double[nOut];
        for (int u = 0; u < m; u++) {
            for (int v = 0; v < m; v++) {
                cr[v] = g[0][u * m + v];
                ci[v] = -g[1][u * m + v];
            }
            out.synthesize(cr, ci, bw, sr, si);
            for (int b = 0; b < nOut; b++) {
                zr[u * nOut + b] = sr[b];
                zi[u * nOut + b] = -si[b];
            }
        }
        double[] result = new double[nOut * nOut];
        for (int b = 0; b < nOut; b++) {
            for (int u = 0; u < m; u++) {
                cr[u] = zr[u * nOut + b];
                ci[u] = zi[u * nOut + b];
            }
            out.synthesize(cr, ci, bw, sr, null);
            for (int a = 0; a < nOut; a++) {
                result[a * nOut + b] = sr[a];
            }
        }
        return result;
    }

    /** K^'[(l,m,k),(l',m',k')] = sum_{n,n'} T^{ll'}[(k,k'),(n,n')] K^[(l,m,n),(l',m',n')]. */
    private static double[][] applyPairOperator(SphericalPlan.Step step, double[] hr, double[] hi, int bw, int m) {
        double[][][] t = step.pairOperator();
        double[] gr = new double[m * m], gi = new double[m * m];
        int maxS = (2 * bw - 1) * (2 * bw - 1);
        double[] vr = new double[maxS], vi = new double[maxS];
        for (int l = 0; l < bw; l++) {
            for (int lp = 0; lp < bw; lp++) {
                int a = 2 * l + 1, b = 2 * lp + 1, s = a * b;
                double[] tr = t[0][l * bw + lp], ti = t[1][l * bw + lp];
                for (int mm = 0; mm < a; mm++) {
                    for (int mp = 0; mp < b; mp++) {
                        int rowBase = WignerD.offset(l) + mm * a, colBase = WignerD.offset(lp) + mp * b;
                        for (int n = 0; n < a; n++) {
                            for (int np = 0; np < b; np++) {
                                int at = (rowBase + n) * m + colBase + np;
                                vr[n * b + np] = hr[at];
                                vi[n * b + np] = hi[at];
                            }
                        }
                        for (int k = 0; k < a; k++) {
                            for (int kp = 0; kp < b; kp++) {
                                int r = (k * b + kp) * s;
                                double sr = 0, si = 0;
                                for (int j = 0; j < s; j++) {
                                    sr += tr[r + j] * vr[j] - ti[r + j] * vi[j];
                                    si += tr[r + j] * vi[j] + ti[r + j] * vr[j];
                                }
                                int at = (rowBase + k) * m + colBase + kp;
                                gr[at] = sr;
                                gi[at] = si;
                            }
                        }
                    }
                }
            }
        }
        return new double[][] {gr, gi};
    }
}
