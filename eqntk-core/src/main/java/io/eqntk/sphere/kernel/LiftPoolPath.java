package io.eqntk.sphere.kernel;

import io.eqntk.sphere.So3Transform;
import io.eqntk.sphere.SphericalLayer;
import io.eqntk.sphere.SphericalPlan;
import io.eqntk.sphere.WignerD;

import io.eqntk.kernel.ArcTangentRows;
import io.eqntk.nonlin.ReluActivation;

import java.util.ArrayList;
import java.util.List;

/**
 * The analytic kernel of {@code s2lift, pointwise nonlinearities on SO(3), so3pool, vector layers} without the
 * N x N pair matrix (docs/SO3_KERNELS.md §6). Two exact reductions:
 * <ul>
 * <li>The lift covariance Σ(R_a, R_b) is a bilinear form of per-input features: each filter point's feature
 * (P x_c)(R ω_i) is band-limited on SO(3), so its N grid values are r = Σ_{l<L}(2l+1)^2 coefficients in an
 * orthonormal real basis Q; a pair costs one r x (channels·points) x L^2·4 contraction and one N x r x 4L^2
 * product instead of N^2 x (channels·points).</li>
 * <li>Joint γ shifts: the points of a ring are one point turned about the pole by 2πj/nAlpha, so the sum over a
 * ring of products of degree-&lt;L trigonometric polynomials in γ is their mean over the circle when nAlpha &ge;
 * 2L - 1. Then Σ depends on γ_a, γ_b only through γ_a - γ_b, and so does every pointwise map of it; the Haar
 * mean over pairs needs only the columns γ_b = 0 (4L^2 of them), times 2L.</li>
 * </ul>
 * Pairs go in blocks: one input against a run of inputs whose γ = 0 columns lie side by side in a {@link Batch},
 * so every loop runs over the whole run (and vectorises); each entry's operations and their order do not depend
 * on the block, so the bits do not either. ReLU takes {@link ArcTangentRows} (a few ulps from StrictMath).
 * Not thread-safe (work buffers): one instance per thread.
 */
final class LiftPoolPath {
    /**
     * Inputs prepared together: each one's coefficients (points x r), and the γ = 0 columns (points x count·4L^2)
     * and map diagonals (count·4L^2 each) of all side by side, input j at column j·4L^2.
     */
    static final class Batch {
        final int count;
        final double[][] coefficients;
        final double[] columns;
        final double[][] mapDiagonals;
        final double[][] vectorDiagonals;
        final SphericalKernels.Pair[] self;

        Batch(int count, int points, int cols, int maps) {
            this.count = count;
            this.coefficients = new double[count][];
            this.columns = new double[points * cols * count];
            this.mapDiagonals = new double[maps][cols * count];
            this.vectorDiagonals = new double[count][];
            this.self = new SphericalKernels.Pair[count];
        }
    }

    /** Whether the contractions take {@link LiftPoolVectors}: the module is there and not disabled (as VectorSupport). */
    static final boolean VECTORS = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
        && !"false".equalsIgnoreCase(System.getProperty("eqntk.vector"));

    /** Inputs per block of pairs: the work buffers grow with it (n x 4L^2 x BLOCK doubles). */
    static final int BLOCK = 8;

    private final List<SphericalPlan.Step> steps;
    private final List<SphericalLayer.Activation> mapActivations = new ArrayList<>();
    private final int firstVectorStep;
    private final int p;
    private final int n;
    private final int cols;
    private final int rank;
    /** Q^T, n x rank: the orthonormal real basis of band-limited grid functions, one row per grid point. */
    private final double[] basisT;
    private final double[] rowWeights;
    private final double[] colWeights;
    private final double b2;
    private final double scale;
    private final int points;
    private double[] t = new double[0], sigma = new double[0], theta = new double[0], root = new double[0],
        angle = new double[0];
    private final double[] pooledN = new double[BLOCK], pooledT = new double[BLOCK];

    private LiftPoolPath(SphericalPlan plan, SphericalLayer.S2Lift lift, int firstVectorStep) {
        this.steps = plan.steps();
        this.firstVectorStep = firstVectorStep;
        for (int s = 1; s < firstVectorStep - 1; s++) {
            mapActivations.add((SphericalLayer.Activation) steps.get(s).layer);
        }
        int bw = lift.bandwidth();
        So3Transform so3 = plan.so3(bw);
        this.p = 2 * bw;
        this.n = so3.gridSize();
        this.cols = p * p;
        double[][] q = orthonormalBasis(so3, bw);
        this.rank = q.length;
        this.basisT = new double[n * rank];
        for (int r = 0; r < rank; r++) {
            for (int i = 0; i < n; i++) {
                basisT[i * rank + r] = q[r][i];
            }
        }
        this.rowWeights = so3.meanWeights();
        this.colWeights = new double[cols];
        for (int c = 0; c < cols; c++) {
            colWeights[c] = rowWeights[c * p];
        }
        this.points = steps.get(0).filterPoints() * plan.inputChannels();
        this.b2 = lift.bStd() * lift.bStd();
        this.scale = lift.wStd() * lift.wStd() / points;
    }

    /** The path for this plan, or null when the plan is not lift, maps, pool, vectors or the rings are too sparse. */
    static LiftPoolPath of(SphericalPlan plan) {
        List<SphericalPlan.Step> steps = plan.steps();
        if (!(steps.get(0).layer instanceof SphericalLayer.S2Lift lift) || lift.nAlpha() < 2 * lift.bandwidth() - 1) {
            return null;
        }
        int s = 1;
        while (s < steps.size() && steps.get(s).layer instanceof SphericalLayer.Activation) {
            s++;
        }
        if (s == steps.size() || !(steps.get(s).layer instanceof SphericalLayer.So3Pool)) {
            return null;
        }
        return new LiftPoolPath(plan, lift, s + 1);
    }

    /** Gram-Schmidt (twice) of the real and imaginary parts of every D^l_{mn}, l &lt; L, on the grid. */
    private static double[][] orthonormalBasis(So3Transform so3, int bw) {
        int size = WignerD.size(bw), n = so3.gridSize();
        List<double[]> basis = new ArrayList<>();
        double[] cr = new double[size], ci = new double[size];
        for (int v = 0; v < size; v++) {
            double[] re = new double[n], im = new double[n];
            cr[v] = 1;
            so3.synthesize(cr, ci, bw, re, im);
            cr[v] = 0;
            for (double[] f : new double[][] {re, im}) {
                double norm0 = Math.sqrt(dot(f, f));
                for (int pass = 0; pass < 2; pass++) {
                    for (double[] b : basis) {
                        double c = dot(f, b);
                        for (int i = 0; i < n; i++) {
                            f[i] -= c * b[i];
                        }
                    }
                }
                double norm = Math.sqrt(dot(f, f));
                if (norm > 1e-8 * norm0) {
                    for (int i = 0; i < n; i++) {
                        f[i] /= norm;
                    }
                    basis.add(f);
                }
            }
        }
        return basis.toArray(new double[0][]);
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    Batch batch(int count) {
        return new Batch(count, points, cols, mapActivations.size());
    }

    /**
     * Input j of the batch from its sampled lift features (points x n): its coefficients in the basis (checked to
     * reproduce the features), its γ = 0 columns, map diagonals and self kernel. Inputs may be prepared on
     * different threads (each writes its own slots).
     */
    void prepare(Batch into, int j, double[][] features) {
        double[] coef = new double[points * rank];
        int ld = cols * into.count;
        double maxF = 0, maxErr = 0;
        for (int f = 0; f < points; f++) {
            double[] row = features[f];
            for (int i = 0; i < n; i++) {
                for (int r = 0; r < rank; r++) {
                    coef[f * rank + r] += row[i] * basisT[i * rank + r];
                }
            }
            for (int i = 0; i < n; i++) {
                double back = 0;
                for (int r = 0; r < rank; r++) {
                    back += coef[f * rank + r] * basisT[i * rank + r];
                }
                maxF = Math.max(maxF, Math.abs(row[i]));
                maxErr = Math.max(maxErr, Math.abs(row[i] - back));
            }
            for (int c = 0; c < cols; c++) {
                into.columns[f * ld + j * cols + c] = row[c * p];
            }
        }
        if (maxErr > 1e-10 * Math.max(maxF, Double.MIN_NORMAL)) {
            throw new IllegalStateException("lift features are not band-limited: error " + maxErr + " of " + maxF);
        }
        into.coefficients[j] = coef;
        // the diagonal read from the pair's own covariance, so that a self pass meets its own diagonal exactly
        // (as the general pass does): q11 q22 - q12^2 is then 0, not a rounding error under a square root
        covariance(into, j, into, j, 1);
        double[] tmp = new double[2];
        for (int c = 0; c < cols; c++) {
            double d = sigma[c * p * cols + c];
            for (int k = 0; k < mapActivations.size(); k++) {
                into.mapDiagonals[k][j * cols + c] = d;
                mapActivations.get(k).expectations(d, d, d, tmp);
                d = tmp[0];
            }
        }
        List<double[]> record = new ArrayList<>();
        pooled(into, j, into, j, 1);
        double[] st = {pooledN[0], pooledT[0]};
        vectorLayers(st, null, null, record);
        into.vectorDiagonals[j] = record.stream().mapToDouble(v -> v[0]).toArray();
        into.self[j] = new SphericalKernels.Pair(st[0], st[1]);
    }

    /**
     * NNGP and NTK of input i of bx with inputs j0 .. j1 - 1 of by, into nngp[out + j - j0] and ntk[out + j - j0].
     */
    void pairs(Batch bx, int i, Batch by, int j0, int j1, double[] nngp, double[] ntk, int out) {
        for (int from = j0; from < j1; from += BLOCK) {
            int count = Math.min(BLOCK, j1 - from);
            pooled(bx, i, by, from, count);
            for (int j = 0; j < count; j++) {
                double[] st = {pooledN[j], pooledT[j]};
                vectorLayers(st, bx.vectorDiagonals[i], by.vectorDiagonals[from + j], null);
                nngp[out + from - j0 + j] = st[0];
                ntk[out + from - j0 + j] = st[1];
            }
        }
    }

    /** The vector layers after the pool on st = {NNGP, NTK}; a self pass (record non-null) records its variances. */
    private void vectorLayers(double[] st, double[] dx, double[] dy, List<double[]> record) {
        double[] tmp = new double[2];
        int nonlinear = 0;
        for (int s = firstVectorStep; s < steps.size(); s++) {
            SphericalLayer layer = steps.get(s).layer;
            double a = 0, b = 0;
            if (layer instanceof SphericalLayer.Activation) {
                if (record != null) {
                    a = b = st[0];
                    record.add(new double[] {st[0]});
                } else {
                    a = dx[nonlinear];
                    b = dy[nonlinear];
                }
                nonlinear++;
            }
            SphericalKernels.vectorLayer(layer, a, b, st, tmp);
        }
    }

    /** Pooled NNGP and NTK (before the vector layers) of input i of bx with count inputs of by from j0. */
    private void pooled(Batch bx, int i, Batch by, int j0, int count) {
        covariance(bx, i, by, j0, count);
        int m = count * cols;
        System.arraycopy(sigma, 0, theta, 0, n * m);
        double[] tmp = new double[2];
        for (int k = 0; k < mapActivations.size(); k++) {
            SphericalLayer.Activation act = mapActivations.get(k);
            double[] dx = bx.mapDiagonals[k], dy = by.mapDiagonals[k];
            int dOff = j0 * cols;
            boolean relu = act.phi() == ReluActivation.INSTANCE;
            for (int g = 0; g < n; g++) {
                double a = dx[i * cols + g / p];
                int at = g * m;
                if (relu) {
                    reluRow(a, dy, dOff, at, m);
                    continue;
                }
                for (int c = 0; c < m; c++) {
                    act.expectations(a, dy[dOff + c], sigma[at + c], tmp);
                    sigma[at + c] = tmp[0];
                    theta[at + c] *= tmp[1];
                }
            }
        }
        for (int j = 0; j < count; j++) {
            double sv = 0, tv = 0;
            for (int g = 0; g < n; g++) {
                double rs = 0, rt = 0;
                int at = g * m + j * cols;
                for (int c = 0; c < cols; c++) {
                    rs += colWeights[c] * sigma[at + c];
                    rt += colWeights[c] * theta[at + c];
                }
                sv += rowWeights[g] * rs;
                tv += rowWeights[g] * rt;
            }
            pooledN[j] = p * sv;
            pooledT[j] = p * tv;
        }
    }

    /**
     * ReLU on one row of the block (m entries at {@code at}) with the row's own variance a and the columns' dy:
     * {@link ReluActivation#expectations} with {@link ArcTangentRows}, in passes that vectorise.
     */
    private void reluRow(double a, double[] dy, int dOff, int at, int m) {
        final double inv2pi = 1 / (2 * Math.PI);
        for (int c = 0; c < m; c++) {
            double q12 = sigma[at + c];
            root[c] = Math.sqrt(Math.max(a * dy[dOff + c] - q12 * q12, 0));
        }
        ArcTangentRows.atan2(root, 0, sigma, at, angle, 0, m);
        for (int c = 0; c < m; c++) {
            double q12 = sigma[at + c];
            double turn = Math.PI - angle[c];
            sigma[at + c] = (root[c] + turn * q12) * inv2pi;
            theta[at + c] *= turn * inv2pi;
        }
    }

    /**
     * sigma = Σ(R_g, R_c) for every grid point g and the γ = 0 points c of count inputs of by from j0, n x m
     * row-major (m = count·4L^2), from t = coef_x^T columns_y (r x m).
     */
    private void covariance(Batch bx, int i, Batch by, int j0, int count) {
        int m = count * cols;
        if (sigma.length < n * m) {
            t = new double[rank * m];
            sigma = new double[n * m];
            theta = new double[n * m];
            root = new double[m];
            angle = new double[m];
        }
        double[] coef = bx.coefficients[i];
        int ld = cols * by.count, off = j0 * cols;
        int done = VECTORS ? LiftPoolVectors.contractRows(coef, rank, points, by.columns, ld, off, t, m) : 0;
        contractRows(coef, rank, points, by.columns, ld, off, t, m, done);
        done = VECTORS ? LiftPoolVectors.expand(basisT, rank, n, t, m, b2, scale, sigma) : 0;
        expand(basisT, rank, n, t, m, b2, scale, sigma, done);
    }

    /** Scalar {@link LiftPoolVectors#contractRows} for the columns from c0 on (the same fused chains). */
    static void contractRows(double[] a, int rank, int rows, double[] b, int ldb, int offB, double[] out, int m,
                             int c0) {
        for (int r = 0; r < rank; r++) {
            java.util.Arrays.fill(out, r * m + c0, (r + 1) * m, 0);
        }
        for (int f = 0; f < rows; f++) {
            for (int r = 0; r < rank; r++) {
                double q = a[f * rank + r];
                int at = r * m, from = f * ldb + offB;
                for (int c = c0; c < m; c++) {
                    out[at + c] = Math.fma(b[from + c], q, out[at + c]);
                }
            }
        }
    }

    /** Scalar {@link LiftPoolVectors#expand} for the columns from c0 on (the same fused chains). */
    static void expand(double[] basisT, int rank, int n, double[] t, int m, double b2, double scale, double[] sigma,
                       int c0) {
        for (int g = 0; g < n; g++) {
            int at = g * m;
            java.util.Arrays.fill(sigma, at + c0, at + m, 0);
            for (int r = 0; r < rank; r++) {
                double q = basisT[g * rank + r];
                int from = r * m;
                for (int c = c0; c < m; c++) {
                    sigma[at + c] = Math.fma(t[from + c], q, sigma[at + c]);
                }
            }
            for (int c = c0; c < m; c++) {
                sigma[at + c] = Math.fma(sigma[at + c], scale, b2);
            }
        }
    }

}
