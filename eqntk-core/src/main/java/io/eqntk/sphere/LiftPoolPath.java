package io.eqntk.sphere;

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
 * Instances hold only tables; {@link #pair} allocates its own work arrays, so one instance serves many threads.
 */
final class LiftPoolPath {
    /** One input's features: coefficients (points x r), γ = 0 columns (points x 4L^2), map diagonals, self. */
    static final class Input {
        final double[] coefficients;
        final double[] columns;
        final double[][] mapDiagonals;
        double[] vectorDiagonals;
        SphericalKernels.Pair self;

        Input(double[] coefficients, double[] columns, double[][] mapDiagonals) {
            this.coefficients = coefficients;
            this.columns = columns;
            this.mapDiagonals = mapDiagonals;
        }
    }

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
        int points = steps.get(0).filterPoints() * plan.inputChannels();
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

    /**
     * One input from its sampled lift features (points x n): coefficients in the basis (checked to reproduce
     * the features), the γ = 0 columns and the diagonals of the maps; the self kernel is set by the caller.
     */
    Input prepare(double[][] features) {
        int points = features.length;
        double[] coef = new double[points * rank], columns = new double[points * cols];
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
                columns[f * cols + c] = row[c * p];
            }
        }
        if (maxErr > 1e-10 * Math.max(maxF, Double.MIN_NORMAL)) {
            throw new IllegalStateException("lift features are not band-limited: error " + maxErr + " of " + maxF);
        }
        Input in = new Input(coef, columns, new double[mapActivations.size()][cols]);
        // the diagonal read from the pair's own covariance, so that a self pass meets its own diagonal exactly
        // (as the general pass does): q11 q22 - q12^2 is then 0, not a rounding error under a square root
        double[] sigma = covariance(in, in);
        double[] tmp = new double[2];
        for (int c = 0; c < cols; c++) {
            double d = sigma[c * p * cols + c];
            for (int k = 0; k < mapActivations.size(); k++) {
                in.mapDiagonals[k][c] = d;
                mapActivations.get(k).expectations(d, d, d, tmp);
                d = tmp[0];
            }
        }
        return in;
    }

    /** ReLU on one row of the pair's matrices: {@link ReluArcCosine#expectations}, inlined. */
    private void reluRow(double a, double[] dy, double[] sigma, double[] theta, int at) {
        final double inv2pi = 1 / (2 * Math.PI);
        for (int c = 0; c < cols; c++) {
            double q12 = sigma[at + c];
            double s = Math.sqrt(Math.max(a * dy[c] - q12 * q12, 0));
            double angle = Math.PI - ReluArcCosine.atan2(s, q12);
            sigma[at + c] = (s + angle * q12) * inv2pi;
            theta[at + c] *= angle * inv2pi;
        }
    }

    /** Σ(R_i, R_c) for every grid point i and the γ = 0 points c, n x 4L^2 row-major. */
    private double[] covariance(Input x, Input y) {
        int points = x.coefficients.length / rank;
        // t[r][c] = sum_f coef_x[f][r] · columns_y[f][c]
        double[] t = new double[rank * cols];
        for (int f = 0; f < points; f++) {
            for (int r = 0; r < rank; r++) {
                double a = x.coefficients[f * rank + r];
                int at = r * cols, from = f * cols;
                for (int c = 0; c < cols; c++) {
                    t[at + c] += a * y.columns[from + c];
                }
            }
        }
        double[] sigma = new double[n * cols];
        for (int i = 0; i < n; i++) {
            int at = i * cols;
            for (int r = 0; r < rank; r++) {
                double a = basisT[i * rank + r];
                int from = r * cols;
                for (int c = 0; c < cols; c++) {
                    sigma[at + c] += a * t[from + c];
                }
            }
            for (int c = 0; c < cols; c++) {
                sigma[at + c] = b2 + scale * sigma[at + c];
            }
        }
        return sigma;
    }

    /**
     * NNGP and NTK of a pair; with {@code record} non-null (a self pass, x == y) the pooled self-variances at the
     * vector nonlinearities are recorded instead of read.
     */
    SphericalKernels.Pair pair(Input x, Input y, List<double[]> record) {
        double[] sigma = covariance(x, y);
        double[] theta = sigma.clone();
        double[] tmp = new double[2];
        for (int k = 0; k < mapActivations.size(); k++) {
            SphericalLayer.Activation act = mapActivations.get(k);
            double[] dx = x.mapDiagonals[k], dy = y.mapDiagonals[k];
            boolean relu = act.phi() == io.eqntk.nonlin.ReluActivation.INSTANCE;
            for (int i = 0; i < n; i++) {
                if (relu) {
                    reluRow(dx[i / p], dy, sigma, theta, i * cols);
                    continue;
                }
                double a = dx[i / p];
                int at = i * cols;
                for (int c = 0; c < cols; c++) {
                    act.expectations(a, dy[c], sigma[at + c], tmp);
                    sigma[at + c] = tmp[0];
                    theta[at + c] *= tmp[1];
                }
            }
        }
        double sv = 0, tv = 0;
        for (int i = 0; i < n; i++) {
            double rs = 0, rt = 0;
            int at = i * cols;
            for (int c = 0; c < cols; c++) {
                rs += colWeights[c] * sigma[at + c];
                rt += colWeights[c] * theta[at + c];
            }
            sv += rowWeights[i] * rs;
            tv += rowWeights[i] * rt;
        }
        double[] st = {p * sv, p * tv};
        int nonlinear = 0;
        for (int s = firstVectorStep; s < steps.size(); s++) {
            SphericalLayer layer = steps.get(s).layer;
            double a = 0, b = 0;
            if (layer instanceof SphericalLayer.Activation) {
                if (record != null) {
                    a = b = st[0];
                    record.add(new double[] {st[0]});
                } else {
                    a = x.vectorDiagonals[nonlinear];
                    b = y.vectorDiagonals[nonlinear];
                }
                nonlinear++;
            }
            SphericalKernels.vectorLayer(layer, a, b, st, tmp);
        }
        return new SphericalKernels.Pair(st[0], st[1]);
    }
}
