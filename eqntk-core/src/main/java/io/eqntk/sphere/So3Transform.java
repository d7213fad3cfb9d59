package io.eqntk.sphere;

import org.jtransforms.fft.DoubleFFT_2D;

/**
 * The SO(3) Fourier transform on the Driscoll-Healy grid of bandwidth L: f(R) = sum_{l<L} sum_{m,n}
 * f^l_{mn} D^l_{mn}(R). Grid samples are stored β-outer: index (b·2L + a)·2L + c for (α_a, β_b, γ_c); the
 * coefficients in {@link WignerD}'s layout. Along β a sum over the Wigner d tables, along α and γ one 2-D FFT
 * per β: O(L^4) per transform. Not thread-safe (a work buffer per instance).
 */
public final class So3Transform {
    private final int bandwidth;
    private final int p;
    private final double[] weights;
    private final double[][] d; // d[b] = small Wigner d at β_b, all degrees < L
    private final DoubleFFT_2D fft;
    private final double[] buffer;

    public So3Transform(int bandwidth) {
        DriscollHealy.requireBandwidth(bandwidth, "SO(3) grid");
        this.bandwidth = bandwidth;
        this.p = 2 * bandwidth;
        this.weights = DriscollHealy.weights(bandwidth);
        this.d = new double[p][];
        for (int b = 0; b < p; b++) {
            d[b] = WignerD.small(bandwidth, DriscollHealy.beta(b, bandwidth));
        }
        this.fft = new DoubleFFT_2D(p, p);
        this.buffer = new double[2 * p * p];
    }

    public int bandwidth() {
        return bandwidth;
    }

    public int gridSize() {
        return p * p * p;
    }

    /** Normalised quadrature weight of each grid point (they sum to 1): the Haar mean is sum_i q_i f(R_i). */
    public double[] meanWeights() {
        double[] q = new double[gridSize()];
        for (int b = 0; b < p; b++) {
            double w = weights[b] / (2.0 * p * p);
            java.util.Arrays.fill(q, b * p * p, (b + 1) * p * p, w);
        }
        return q;
    }

    /** The rotation at grid index i. */
    public Rotation rotation(int i) {
        int b = i / (p * p), a = (i / p) % p, c = i % p;
        return Rotation.euler(DriscollHealy.angle(a, bandwidth), DriscollHealy.beta(b, bandwidth),
            DriscollHealy.angle(c, bandwidth));
    }

    /**
     * Grid values of sum_{l<degrees} f^l_{mn} D^l_{mn}; {@code outIm} may be null when only the real part is
     * wanted.
     */
    public void synthesize(double[] cRe, double[] cIm, int degrees, double[] outRe, double[] outIm) {
        requireDegrees(degrees);
        int pp = p * p;
        for (int b = 0; b < p; b++) {
            java.util.Arrays.fill(buffer, 0);
            double[] db = d[b];
            for (int m = -(degrees - 1); m < degrees; m++) {
                for (int n = -(degrees - 1); n < degrees; n++) {
                    double re = 0, im = 0;
                    for (int l = Math.max(Math.abs(m), Math.abs(n)); l < degrees; l++) {
                        int i = WignerD.index(l, m, n);
                        re += cRe[i] * db[i];
                        im += cIm[i] * db[i];
                    }
                    int at = 2 * (Math.floorMod(m, p) * p + Math.floorMod(n, p));
                    buffer[at] = re;
                    buffer[at + 1] = im;
                }
            }
            fft.complexForward(buffer);
            for (int a = 0; a < p; a++) {
                for (int c = 0; c < p; c++) {
                    int at = 2 * (a * p + c);
                    outRe[b * pp + a * p + c] = buffer[at];
                    if (outIm != null) {
                        outIm[b * pp + a * p + c] = buffer[at + 1];
                    }
                }
            }
        }
    }

    /**
     * sum over grid points of w_i f(R_i) conj(D^l_{mn}(R_i)) for l < degrees, with w_i the quadrature weight
     * (then {@link #analyze} divides by the norm) or 1 when {@code quadrature} is false (the adjoint of
     * {@link #synthesize}). {@code fIm} may be null for a real signal.
     */
    public void project(double[] fRe, double[] fIm, int degrees, boolean quadrature, double[] outRe,
                        double[] outIm) {
        requireDegrees(degrees);
        int pp = p * p;
        int size = WignerD.size(degrees);
        java.util.Arrays.fill(outRe, 0, size, 0);
        java.util.Arrays.fill(outIm, 0, size, 0);
        double step = 2 * Math.PI / p;
        for (int b = 0; b < p; b++) {
            for (int i = 0; i < pp; i++) {
                buffer[2 * i] = fRe[b * pp + i];
                buffer[2 * i + 1] = fIm == null ? 0 : fIm[b * pp + i];
            }
            fft.complexInverse(buffer, false);
            double w = quadrature ? weights[b] * step * step : 1;
            double[] db = d[b];
            for (int m = -(degrees - 1); m < degrees; m++) {
                for (int n = -(degrees - 1); n < degrees; n++) {
                    int at = 2 * (Math.floorMod(m, p) * p + Math.floorMod(n, p));
                    double re = buffer[at] * w, im = buffer[at + 1] * w;
                    for (int l = Math.max(Math.abs(m), Math.abs(n)); l < degrees; l++) {
                        int i = WignerD.index(l, m, n);
                        outRe[i] += re * db[i];
                        outIm[i] += im * db[i];
                    }
                }
            }
        }
    }

    /** Coefficients of degrees below {@code degrees}; exact when f has no higher degree. */
    public void analyze(double[] fRe, double[] fIm, int degrees, double[] outRe, double[] outIm) {
        project(fRe, fIm, degrees, true, outRe, outIm);
        for (int l = 0; l < degrees; l++) {
            double norm = (2 * l + 1) / (8 * Math.PI * Math.PI);
            for (int i = WignerD.offset(l); i < WignerD.offset(l + 1); i++) {
                outRe[i] *= norm;
                outIm[i] *= norm;
            }
        }
    }

    private void requireDegrees(int degrees) {
        if (degrees < 1 || degrees > bandwidth) {
            throw new IllegalArgumentException("degrees " + degrees + " outside 1.." + bandwidth);
        }
    }
}
