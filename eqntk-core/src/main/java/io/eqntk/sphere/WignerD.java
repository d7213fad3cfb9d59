package io.eqntk.sphere;

/**
 * Wigner matrices of degrees l < L. The small-d matrix d^l_{mn}(β) = <l m| exp(-iβ J_y) |l n> comes from the
 * three-term recursion in l (stable upwards) started at l = max(|m|, |n|), where the explicit sum has a single
 * term; D^l_{mn}(α, β, γ) = exp(-imα) d^l_{mn}(β) exp(-inγ), a representation: D(R1 R2) = D(R1) D(R2).
 *
 * <p>Storage: degree l's matrix is (2l+1)^2 entries, entry (m, n) at (m + l)(2l + 1) + (n + l); all degrees
 * are concatenated, degree l starting at {@link #offset(int)} = l(2l-1)(2l+1)/3.
 */
public final class WignerD {
    private WignerD() {
    }

    public static int offset(int l) {
        return l * (2 * l - 1) * (2 * l + 1) / 3;
    }

    /** Entries of all degrees below {@code bandwidth}. */
    public static int size(int bandwidth) {
        return offset(bandwidth);
    }

    public static int index(int l, int m, int n) {
        return offset(l) + (m + l) * (2 * l + 1) + (n + l);
    }

    /** d^l_{mn}(β) for all l < bandwidth, in the layout above. */
    public static double[] small(int bandwidth, double beta) {
        double[] d = new double[size(bandwidth)];
        double c = Math.cos(beta / 2), s = Math.sin(beta / 2), cb = Math.cos(beta);
        double[] logFact = logFactorials(2 * bandwidth + 2);
        for (int m = -(bandwidth - 1); m < bandwidth; m++) {
            for (int n = -(bandwidth - 1); n < bandwidth; n++) {
                int l0 = Math.max(Math.abs(m), Math.abs(n));
                double prev = 0;
                double cur = start(l0, m, n, c, s, logFact);
                d[index(l0, m, n)] = cur;
                for (int l = l0; l + 1 < bandwidth; l++) {
                    double next;
                    if (l == 0) {
                        next = cb; // m = n = 0: Legendre P_1
                    } else {
                        double a = (2 * l + 1) * (l * (l + 1.0) * cb - (double) m * n);
                        double b = (l + 1.0) * Math.sqrt((l * l - (double) m * m) * (l * l - (double) n * n));
                        double den = l * Math.sqrt(((l + 1.0) * (l + 1) - (double) m * m)
                            * ((l + 1.0) * (l + 1) - (double) n * n));
                        next = (a * cur - b * prev) / den;
                    }
                    prev = cur;
                    cur = next;
                    d[index(l + 1, m, n)] = cur;
                }
            }
        }
        return d;
    }

    /** The explicit sum at l = max(|m|, |n|), where it has one term. */
    private static double start(int l, int m, int n, double c, double s, double[] logFact) {
        double sum = 0;
        for (int k = Math.max(0, n - m); k <= Math.min(l + n, l - m); k++) {
            double logCoef = 0.5 * (logFact[l + m] + logFact[l - m] + logFact[l + n] + logFact[l - n])
                - logFact[l + n - k] - logFact[k] - logFact[m - n + k] - logFact[l - m - k];
            double term = Math.exp(logCoef) * Math.pow(c, 2 * l + n - m - 2 * k) * Math.pow(s, m - n + 2 * k);
            sum += ((m - n + k) % 2 == 0) ? term : -term;
        }
        return sum;
    }

    private static double[] logFactorials(int n) {
        double[] f = new double[n + 1];
        for (int i = 2; i <= n; i++) {
            f[i] = f[i - 1] + Math.log(i);
        }
        return f;
    }

    /** D^l_{mn}(R) for all l < bandwidth: {real parts, imaginary parts}. */
    public static double[][] full(int bandwidth, Rotation r) {
        double[] e = r.eulerAngles();
        return full(bandwidth, e[0], e[1], e[2]);
    }

    public static double[][] full(int bandwidth, double alpha, double beta, double gamma) {
        double[] d = small(bandwidth, beta);
        double[] re = new double[d.length], im = new double[d.length];
        for (int l = 0; l < bandwidth; l++) {
            for (int m = -l; m <= l; m++) {
                for (int n = -l; n <= l; n++) {
                    int i = index(l, m, n);
                    double phase = -(m * alpha + n * gamma);
                    re[i] = d[i] * Math.cos(phase);
                    im[i] = d[i] * Math.sin(phase);
                }
            }
        }
        return new double[][] {re, im};
    }
}
