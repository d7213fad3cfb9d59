package io.eqntk.sphere;

import io.eqntk.EqntkException;

/**
 * A multi-channel signal on the S^2 Driscoll-Healy grid of bandwidth L: channels[c][j·2L + k] at (θ_j, φ_k).
 */
public record SphereSignal(int bandwidth, double[][] channels) {
    public SphereSignal {
        DriscollHealy.requireBandwidth(bandwidth, "spherical signal");
        if (channels.length == 0) {
            throw new EqntkException("spherical signal: no channels");
        }
        int want = 4 * bandwidth * bandwidth;
        for (int c = 0; c < channels.length; c++) {
            if (channels[c].length != want) {
                throw new EqntkException("spherical signal: channel " + c + " has " + channels[c].length
                    + " samples but the S2 grid of bandwidth " + bandwidth + " has 2L x 2L = " + want);
            }
            for (double v : channels[c]) {
                if (!Double.isFinite(v)) {
                    throw new EqntkException("spherical signal: channel " + c + " has a non-finite sample");
                }
            }
        }
    }

    public int channelCount() {
        return channels.length;
    }

    /**
     * The signal as a 2L x 2L image with channels last (rows θ_j, columns φ_k): how experiments carry spherical
     * data through their image pipeline. Inverse of {@link #fromImage}.
     */
    public double[] toImage() {
        int c = channels.length, n = 4 * bandwidth * bandwidth;
        double[] out = new double[n * c];
        for (int ch = 0; ch < c; ch++) {
            for (int i = 0; i < n; i++) {
                out[i * c + ch] = channels[ch][i];
            }
        }
        return out;
    }

    /**
     * The signal stored as a 2L x 2L image with {@code channelCount} channels last, starting at {@code offset}
     * of {@code data} (a batch of such images).
     */
    public static SphereSignal fromImage(double[] data, int offset, int bandwidth, int channelCount) {
        int n = 4 * bandwidth * bandwidth;
        double[][] ch = new double[channelCount][n];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < channelCount; c++) {
                ch[c][i] = data[offset + i * channelCount + c];
            }
        }
        return new SphereSignal(bandwidth, ch);
    }

    /** The signal rotated about the z axis by {@code steps} grid steps: x'(θ, φ) = x(θ, φ - steps·π/L). */
    public SphereSignal rotateZ(int steps) {
        int p = 2 * bandwidth;
        double[][] out = new double[channels.length][p * p];
        for (int c = 0; c < channels.length; c++) {
            for (int j = 0; j < p; j++) {
                for (int k = 0; k < p; k++) {
                    out[c][j * p + Math.floorMod(k + steps, p)] = channels[c][j * p + k];
                }
            }
        }
        return new SphereSignal(bandwidth, out);
    }

    /**
     * The signal rotated by g, x'(ω) = x(g^-1 ω), through its coefficients of degree below {@code degrees}:
     * exact for a signal of lower degree.
     */
    public SphereSignal rotate(Rotation g, int degrees) {
        S2Transform t = new S2Transform(bandwidth);
        double[][] dInv = WignerD.full(degrees, g.inverse());
        int size = degrees * degrees;
        double[][] out = new double[channels.length][t.gridSize()];
        double[] re = new double[size], im = new double[size], rr = new double[size], ri = new double[size];
        for (int c = 0; c < channels.length; c++) {
            t.analyze(channels[c], degrees, re, im);
            java.util.Arrays.fill(rr, 0);
            java.util.Arrays.fill(ri, 0);
            for (int l = 0; l < degrees; l++) {
                for (int k = -l; k <= l; k++) {
                    for (int m = -l; m <= l; m++) {
                        int i = WignerD.index(l, m, k);
                        int src = S2Transform.index(l, m);
                        rr[S2Transform.index(l, k)] += re[src] * dInv[0][i] - im[src] * dInv[1][i];
                        ri[S2Transform.index(l, k)] += re[src] * dInv[1][i] + im[src] * dInv[0][i];
                    }
                }
            }
            t.synthesize(rr, ri, degrees, out[c], null);
        }
        return new SphereSignal(bandwidth, out);
    }
}
