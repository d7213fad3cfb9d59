package io.eqntk.sphere;

import org.jtransforms.fft.DoubleFFT_1D;

/**
 * The spherical harmonic transform on the Driscoll-Healy grid of bandwidth L in the basis
 * B_lm(θ, φ) = D^l_{m0}(φ, θ, 0) = exp(-imφ) d^l_{m0}(θ) (the complex conjugate of Y_lm up to the factor
 * sqrt((2l+1)/4π)): x = sum_{l<L} sum_m x_lm B_lm. Samples are stored θ-outer, index j·2L + k for (θ_j, φ_k);
 * coefficient (l, m) at l^2 + l + m. With this basis, x(R ω) = sum x_lm D^l_{mk}(R) B_lk(ω), which is what the
 * lifting layer uses. Not thread-safe.
 */
public final class S2Transform {
    private final int bandwidth;
    private final int p;
    private final double[] weights;
    private final double[][] d;
    private final DoubleFFT_1D fft;
    private final double[] buffer;

    public S2Transform(int bandwidth) {
        DriscollHealy.requireBandwidth(bandwidth, "S2 grid");
        this.bandwidth = bandwidth;
        this.p = 2 * bandwidth;
        this.weights = DriscollHealy.weights(bandwidth);
        this.d = new double[p][];
        for (int j = 0; j < p; j++) {
            d[j] = WignerD.small(bandwidth, DriscollHealy.beta(j, bandwidth));
        }
        this.fft = new DoubleFFT_1D(p);
        this.buffer = new double[2 * p];
    }

    public static int index(int l, int m) {
        return l * l + l + m;
    }

    public int bandwidth() {
        return bandwidth;
    }

    public int gridSize() {
        return p * p;
    }

    /** Normalised quadrature weights (sum 1): the mean over S^2 is sum_i q_i x_i. */
    public double[] meanWeights() {
        double[] q = new double[gridSize()];
        for (int j = 0; j < p; j++) {
            java.util.Arrays.fill(q, j * p, (j + 1) * p, weights[j] / (2.0 * p));
        }
        return q;
    }

    /** Unit vector of grid point i. */
    public double[] point(int i) {
        double theta = DriscollHealy.beta(i / p, bandwidth), phi = DriscollHealy.angle(i % p, bandwidth);
        return new double[] {Math.sin(theta) * Math.cos(phi), Math.sin(theta) * Math.sin(phi), Math.cos(theta)};
    }

    public void synthesize(double[] cRe, double[] cIm, int degrees, double[] outRe, double[] outIm) {
        requireDegrees(degrees);
        for (int j = 0; j < p; j++) {
            java.util.Arrays.fill(buffer, 0);
            double[] dj = d[j];
            for (int m = -(degrees - 1); m < degrees; m++) {
                double re = 0, im = 0;
                for (int l = Math.abs(m); l < degrees; l++) {
                    double v = dj[WignerD.index(l, m, 0)];
                    re += cRe[index(l, m)] * v;
                    im += cIm[index(l, m)] * v;
                }
                buffer[2 * Math.floorMod(m, p)] = re;
                buffer[2 * Math.floorMod(m, p) + 1] = im;
            }
            fft.complexForward(buffer);
            for (int k = 0; k < p; k++) {
                outRe[j * p + k] = buffer[2 * k];
                if (outIm != null) {
                    outIm[j * p + k] = buffer[2 * k + 1];
                }
            }
        }
    }

    /** Coefficients of degrees below {@code degrees} of a real signal; exact for band-limited signals. */
    public void analyze(double[] x, int degrees, double[] outRe, double[] outIm) {
        requireDegrees(degrees);
        java.util.Arrays.fill(outRe, 0, degrees * degrees, 0);
        java.util.Arrays.fill(outIm, 0, degrees * degrees, 0);
        double step = 2 * Math.PI / p;
        for (int j = 0; j < p; j++) {
            for (int k = 0; k < p; k++) {
                buffer[2 * k] = x[j * p + k];
                buffer[2 * k + 1] = 0;
            }
            fft.complexInverse(buffer, false);
            double[] dj = d[j];
            for (int m = -(degrees - 1); m < degrees; m++) {
                double re = buffer[2 * Math.floorMod(m, p)], im = buffer[2 * Math.floorMod(m, p) + 1];
                for (int l = Math.abs(m); l < degrees; l++) {
                    double w = weights[j] * step * (2 * l + 1) / (4 * Math.PI) * dj[WignerD.index(l, m, 0)];
                    outRe[index(l, m)] += re * w;
                    outIm[index(l, m)] += im * w;
                }
            }
        }
    }

    private void requireDegrees(int degrees) {
        if (degrees < 1 || degrees > bandwidth) {
            throw new IllegalArgumentException("degrees " + degrees + " outside 1.." + bandwidth);
        }
    }
}
