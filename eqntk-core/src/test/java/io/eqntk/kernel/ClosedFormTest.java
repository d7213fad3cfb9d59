package io.eqntk.kernel;

import io.eqntk.TestImages;
import io.eqntk.arch.Architecture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Hand-derived closed forms: linear networks, and the arc-cosine / arcsine kernels of dense networks. */
class ClosedFormTest {

    /**
     * conv(q, PAD, w, b) gap dense(w2, b2) is linear: its output is (w/sqrt(C q^2)) sum_{c,b} W_cb m_cb(x) + b·bias
     * with m_cb(x) = mean_t x_c(t + off + b) (zero or wrapped outside), so
     * Σ1 = w^2/(C q^2) sum_{c,b} m_cb(x) m_cb(x') + b^2, NNGP = w2^2 Σ1 + b2^2 and NTK = 2 w2^2 Σ1 + b2^2.
     */
    @ParameterizedTest
    @CsvSource({"3, SAME, 1.5, 0.1, 1.2, 0.3", "3, VALID, 1.0, 0.0, 0.7, 0.0", "5, CIRCULAR, 2.0, 0.5, 1.0, 1.0",
        "1, SAME, 1.0, 0.2, 1.0, 0.0"})
    void linearConvolutionalNetwork(int q, String pad, double w, double b, double w2, double b2) {
        int h = 6;
        int wd = 7;
        int c = 2;
        ImageBatch x = TestImages.gaussian(2, h, wd, c, 3);
        String spec = String.format(java.util.Locale.ROOT, "conv(%d, %s, w=%s, b=%s) gap dense(w=%s, b=%s)", q, pad, w, b, w2, b2);
        KernelMatrices k = new KernelEngine(Architecture.parse(spec), 1).gram(x, ProgressListener.NONE);
        int r = (q - 1) / 2;
        int off = pad.equals("VALID") ? r : 0;
        int ho = pad.equals("VALID") ? h - q + 1 : h;
        int wo = pad.equals("VALID") ? wd - q + 1 : wd;
        double[][] m = new double[2][c * q * q];
        for (int n = 0; n < 2; n++) {
            double[] img = x.image(n);
            for (int ch = 0; ch < c; ch++) {
                for (int bi = -r; bi <= r; bi++) {
                    for (int bj = -r; bj <= r; bj++) {
                        double s = 0;
                        for (int i = 0; i < ho; i++) {
                            for (int j = 0; j < wo; j++) {
                                int ii = i + off + bi;
                                int jj = j + off + bj;
                                if (pad.equals("CIRCULAR")) {
                                    ii = Math.floorMod(ii, h);
                                    jj = Math.floorMod(jj, wd);
                                } else if (ii < 0 || ii >= h || jj < 0 || jj >= wd) {
                                    continue;
                                }
                                s += img[(ii * wd + jj) * c + ch];
                            }
                        }
                        m[n][(ch * q + bi + r) * q + bj + r] = s / (ho * wo);
                    }
                }
            }
        }
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 2; j++) {
                double dot = 0;
                for (int e = 0; e < m[i].length; e++) {
                    dot += m[i][e] * m[j][e];
                }
                double s1 = w * w / (c * q * q) * dot + b * b;
                assertEquals(w2 * w2 * s1 + b2 * b2, k.nngp(i, j), 1e-13);
                assertEquals(2 * w2 * w2 * s1 + b2 * b2, k.ntk(i, j), 1e-13);
            }
        }
    }

    /** Dense ReLU network on vectors: the arc-cosine kernel (Cho and Saul) and its NTK, written out by hand. */
    @Test
    void denseReluArcCosine() {
        Random rnd = new Random(4);
        int c = 5;
        double[] x = new double[c];
        double[] y = new double[c];
        for (int i = 0; i < c; i++) {
            x[i] = rnd.nextGaussian();
            y[i] = rnd.nextGaussian() + 0.5 * x[i];
        }
        double w1 = 1.4;
        double b1 = 0.3;
        double w2 = 0.9;
        double b2 = 0.2;
        double[] k = new KernelEngine(Architecture.parse("flatten dense(w=1.4, b=0.3) relu dense(w=0.9, b=0.2)"), 1)
            .pair(x, y, 1, 1, c);
        double sxy = w1 * w1 * dot(x, y) / c + b1 * b1;
        double sxx = w1 * w1 * dot(x, x) / c + b1 * b1;
        double syy = w1 * w1 * dot(y, y) / c + b1 * b1;
        double theta = Math.acos(sxy / Math.sqrt(sxx * syy));
        double relu = Math.sqrt(sxx * syy) / (2 * Math.PI) * (Math.sin(theta) + (Math.PI - theta) * Math.cos(theta));
        double dot = (Math.PI - theta) / (2 * Math.PI);
        double nngp = w2 * w2 * relu + b2 * b2;
        double ntk = w2 * w2 * dot * sxy + nngp;
        assertEquals(nngp, k[0], 1e-14);
        assertEquals(ntk, k[1], 1e-14);
    }

    /** Dense erf network: the arcsine kernel (Williams 1997) and its NTK. */
    @Test
    void denseErfArcSine() {
        double[] x = {0.3, -1.2, 0.8};
        double[] y = {1.1, 0.4, -0.5};
        double[] k = new KernelEngine(Architecture.parse("flatten dense(w=2, b=0.5) erf dense"), 1).pair(x, y, 1, 1, 3);
        double sxy = 4 * dot(x, y) / 3 + 0.25;
        double sxx = 4 * dot(x, x) / 3 + 0.25;
        double syy = 4 * dot(y, y) / 3 + 0.25;
        double nngp = 2 / Math.PI * Math.asin(2 * sxy / Math.sqrt((1 + 2 * sxx) * (1 + 2 * syy)));
        double deriv = 4 / Math.PI / Math.sqrt((1 + 2 * sxx) * (1 + 2 * syy) - 4 * sxy * sxy);
        assertEquals(nngp, k[0], 1e-14);
        assertEquals(deriv * sxy + nngp, k[1], 1e-14);
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
