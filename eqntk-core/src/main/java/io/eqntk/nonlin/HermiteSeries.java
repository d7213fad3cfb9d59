package io.eqntk.nonlin;

/**
 * The fast numerical fallback: Mehler's expansion of a Gaussian pair's expectation in its correlation ρ,
 * <pre>
 *   E[φ(u) φ(v)] = Σ_k c_k(q11) c_k(q22) ρ^k,    c_k(q) = E[φ(√q z) h_k(z)],  h_k = He_k / sqrt(k!)
 * </pre>
 * (and the same with φ' for Σ̇), so that a map needs the coefficients once per variance and then costs
 * O(terms) per entry instead of a 2-D quadrature. The coefficients come from a kink-aware 1-D rule (Gauss-Legendre
 * panels on [-12, 12] with a panel edge at 0, exact to rounding for φ smooth on each side of 0). The truncation
 * error after {@link #TERMS} terms is at most |ρ|^(K+1) sqrt(T(q11) T(q22)) by Cauchy-Schwarz, with the tail
 * T(q) = Σ_(k > K) c_k² = Σ_(K < k <= 2K) c_k² + (E[φ²] - Σ_(k <= 2K) c_k²) known per variance; where that bound
 * exceeds {@link #TOLERANCE} of the Cauchy-Schwarz scale sqrt(E[φ(u)²] E[φ(v)²]) the caller uses the 2-D
 * quadrature instead (the entries near |ρ| = 1 of kinked or fast-varying φ).
 *
 * <p>Factor layout of one variance ({@link #length()} doubles): q, 1/sqrt(q) (0 for q = 0), E[φ²], E[φ'²], T_φ,
 * T_φ', then c_0..c_K, then the φ' coefficients d_0..d_K.
 */
public final class HermiteSeries {
    /** K: the series keeps ρ^0 .. ρ^K. */
    public static final int TERMS = 160;
    /** Largest truncation bound accepted, relative to the Cauchy-Schwarz scale of the map. */
    public static final double TOLERANCE = 1e-12;
    static final int Q = 0;
    static final int INV_ROOT = 1;
    static final int PHI2 = 2;
    static final int DPHI2 = 3;
    static final int TAIL = 4;
    static final int DTAIL = 5;
    static final int C0 = 6;
    static final int D0 = C0 + TERMS + 1;
    private static final int LENGTH = D0 + TERMS + 1;
    private static final double HALF_WIDTH = 12;
    private static final int PANELS = 48;
    private static final int POINTS = 16;
    private static final double[] NODES;
    private static final double[] WEIGHTS;
    /** WEIGHTED[k][i] = w_i h_k(z_i), k <= 2K: the coefficients are then one matrix-vector product. */
    private static final double[][] WEIGHTED;

    static {
        // the standard normal density on panels of [-12, 12] (mass beyond: 4e-33), a panel edge at 0
        double[][] gl = OrthogonalRules.legendre(POINTS);
        NODES = new double[PANELS * POINTS];
        WEIGHTS = new double[NODES.length];
        double width = 2 * HALF_WIDTH / PANELS;
        for (int p = 0; p < PANELS; p++) {
            for (int i = 0; i < POINTS; i++) {
                double z = -HALF_WIDTH + width * (p + 0.5 * (gl[0][i] + 1));
                NODES[p * POINTS + i] = z;
                WEIGHTS[p * POINTS + i] = 0.5 * width * gl[1][i] * Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
            }
        }
        WEIGHTED = new double[2 * TERMS + 1][NODES.length];
        for (int i = 0; i < NODES.length; i++) {
            // normalised Hermite recurrence: h_(k+1) = (z h_k - sqrt(k) h_(k-1)) / sqrt(k + 1)
            double z = NODES[i];
            double prev = 0;
            double h = 1;
            for (int k = 0; k <= 2 * TERMS; k++) {
                WEIGHTED[k][i] = WEIGHTS[i] * h;
                double next = (z * h - Math.sqrt(k) * prev) / Math.sqrt(k + 1);
                prev = h;
                h = next;
            }
        }
    }

    private final Activation phi;

    public HermiteSeries(Activation phi) {
        this.phi = phi;
    }

    /** Doubles per variance in {@link #coefficients}. */
    public static int length() {
        return LENGTH;
    }

    /** The factors of variance q (layout in the class comment); a new array. */
    public double[] coefficients(double q) {
        if (!(q >= 0) || !Double.isFinite(q)) {
            throw new IllegalArgumentException("variance must be finite and >= 0, got " + q);
        }
        int all = 2 * TERMS;
        double[] c = new double[all + 1];
        double[] d = new double[all + 1];
        double phi2 = 0;
        double dphi2 = 0;
        double root = Math.sqrt(q);
        double[] f = new double[NODES.length];
        double[] g = new double[NODES.length];
        for (int i = 0; i < NODES.length; i++) {
            f[i] = phi.phi(root * NODES[i]);
            g[i] = phi.dphi(root * NODES[i]);
            phi2 += WEIGHTS[i] * f[i] * f[i];
            dphi2 += WEIGHTS[i] * g[i] * g[i];
        }
        for (int k = 0; k <= all; k++) {
            double[] row = WEIGHTED[k];
            double sc = 0;
            double sd = 0;
            for (int i = 0; i < row.length; i++) {
                sc += row[i] * f[i];
                sd += row[i] * g[i];
            }
            c[k] = sc;
            d[k] = sd;
        }
        double[] out = new double[LENGTH];
        out[Q] = q;
        out[INV_ROOT] = q > 0 ? 1 / root : 0;
        out[PHI2] = phi2;
        out[DPHI2] = dphi2;
        out[TAIL] = tail(c, phi2);
        out[DTAIL] = tail(d, dphi2);
        System.arraycopy(c, 0, out, C0, TERMS + 1);
        System.arraycopy(d, 0, out, D0, TERMS + 1);
        return out;
    }

    /** Σ_(k > K) c_k²: the next K terms plus what E[φ²] leaves beyond them (clamped at 0). */
    private static double tail(double[] c, double total) {
        double head = 0;
        for (int k = 0; k <= TERMS; k++) {
            head += c[k] * c[k];
        }
        double next = 0;
        for (int k = TERMS + 1; k < c.length; k++) {
            next += c[k] * c[k];
        }
        return next + Math.max(0, total - head - next);
    }

    /**
     * Both maps from the factors of the two variances (fa[offA + k stride], fb[offB + k stride] for layout
     * index k) and q12: out[0] = Σ, out[1] = Σ̇. Returns false, leaving out alone, when the truncation bound
     * exceeds the tolerance (the caller then uses the quadrature).
     */
    public static boolean expectations(double[] fa, int offA, double[] fb, int offB, int stride, double q12,
                                       double[] out) {
        double rho = Math.max(-1, Math.min(1, q12 * fa[offA + INV_ROOT * stride] * fb[offB + INV_ROOT * stride]));
        double r = Math.abs(rho);
        double rk = Math.pow(r, TERMS + 1);
        double bound = rk * Math.sqrt(fa[offA + TAIL * stride] * fb[offB + TAIL * stride]);
        double dotBound = rk * Math.sqrt(fa[offA + DTAIL * stride] * fb[offB + DTAIL * stride]);
        if (bound > TOLERANCE * Math.sqrt(fa[offA + PHI2 * stride] * fb[offB + PHI2 * stride])
            || dotBound > TOLERANCE * Math.sqrt(fa[offA + DPHI2 * stride] * fb[offB + DPHI2 * stride])) {
            return false;
        }
        double s = 0;
        double t = 0;
        for (int k = TERMS; k >= 0; k--) {
            s = s * rho + fa[offA + (C0 + k) * stride] * fb[offB + (C0 + k) * stride];
            t = t * rho + fa[offA + (D0 + k) * stride] * fb[offB + (D0 + k) * stride];
        }
        out[0] = s;
        out[1] = t;
        return true;
    }
}
