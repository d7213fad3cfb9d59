package io.eqntk.sphere;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TransformTest {
    @Test
    void wignerSmallDMatchesClosedFormsAndIsOrthogonal() {
        double beta = 0.7;
        double[] d = WignerD.small(6, beta);
        assertEquals(Math.cos(beta), d[WignerD.index(1, 0, 0)], 1e-14);
        assertEquals(-Math.sin(beta) / Math.sqrt(2), d[WignerD.index(1, 1, 0)], 1e-14);
        assertEquals((1 + Math.cos(beta)) / 2, d[WignerD.index(1, 1, 1)], 1e-14);
        double x = Math.cos(beta);
        assertEquals((5 * x * x * x - 3 * x) / 2, d[WignerD.index(3, 0, 0)], 1e-14);
        for (int l = 0; l < 6; l++) {
            for (int m = -l; m <= l; m++) {
                for (int k = -l; k <= l; k++) {
                    double s = 0;
                    for (int n = -l; n <= l; n++) {
                        s += d[WignerD.index(l, m, n)] * d[WignerD.index(l, k, n)];
                    }
                    assertEquals(m == k ? 1 : 0, s, 1e-12, "d^" + l + " orthogonal");
                }
            }
        }
    }

    @Test
    void wignerDIsARepresentation() {
        Random rng = new Random(3);
        int bw = 7;
        Rotation r1 = Rotation.random(rng), r2 = Rotation.random(rng);
        double[][] a = WignerD.full(bw, r1), b = WignerD.full(bw, r2), ab = WignerD.full(bw, r1.times(r2));
        for (int l = 0; l < bw; l++) {
            for (int m = -l; m <= l; m++) {
                for (int n = -l; n <= l; n++) {
                    double re = 0, im = 0;
                    for (int k = -l; k <= l; k++) {
                        int i = WignerD.index(l, m, k), j = WignerD.index(l, k, n);
                        re += a[0][i] * b[0][j] - a[1][i] * b[1][j];
                        im += a[0][i] * b[1][j] + a[1][i] * b[0][j];
                    }
                    assertEquals(ab[0][WignerD.index(l, m, n)], re, 1e-12);
                    assertEquals(ab[1][WignerD.index(l, m, n)], im, 1e-12);
                }
            }
        }
    }

    @Test
    void quadratureWeightsIntegrateSinBeta() {
        double s = 0;
        for (double w : DriscollHealy.weights(5)) {
            s += w;
        }
        assertEquals(2, s, 1e-14);
    }

    @Test
    void sphericalTransformRecoversKnownHarmonicsAndRoundTrips() {
        int bw = 5;
        S2Transform t = new S2Transform(bw);
        double[] x = new double[t.gridSize()];
        for (int i = 0; i < x.length; i++) {
            double[] v = t.point(i);
            x[i] = v[0] + 2 * v[2]; // sinθ cosφ + 2 cosθ
        }
        double[] re = new double[bw * bw], im = new double[bw * bw];
        t.analyze(x, bw, re, im);
        for (int i = 0; i < re.length; i++) {
            double wantRe = i == S2Transform.index(1, 0) ? 2
                : i == S2Transform.index(1, -1) ? 1 / Math.sqrt(2)
                : i == S2Transform.index(1, 1) ? -1 / Math.sqrt(2) : 0;
            assertEquals(wantRe, re[i], 1e-13, "re coefficient " + i);
            assertEquals(0, im[i], 1e-13, "im coefficient " + i);
        }
        double[] c = randomRealS2Coefficients(bw, new Random(1));
        double[] y = new double[t.gridSize()];
        t.synthesize(c, new double[c.length], bw, y, null);
        double[] back = new double[c.length], backIm = new double[c.length];
        t.analyze(y, bw, back, backIm);
        for (int i = 0; i < c.length; i++) {
            assertEquals(c[i], back[i], 1e-12);
            assertEquals(0, backIm[i], 1e-12);
        }
    }

    /** Real coefficients with x_{l,-m} = (-1)^m x_{lm}: a real signal (its imaginary parts are 0). */
    static double[] randomRealS2Coefficients(int bw, Random rng) {
        double[] c = new double[bw * bw];
        for (int l = 0; l < bw; l++) {
            for (int m = 0; m <= l; m++) {
                double v = rng.nextGaussian();
                c[S2Transform.index(l, m)] = v;
                c[S2Transform.index(l, -m)] = (m % 2 == 0) ? v : -v;
            }
        }
        return c;
    }

    @Test
    void so3TransformRoundTripsAndFindsCosBeta() {
        int bw = 4;
        So3Transform t = new So3Transform(bw);
        Random rng = new Random(2);
        int size = WignerD.size(bw);
        double[] re = new double[size], im = new double[size];
        for (int i = 0; i < size; i++) {
            re[i] = rng.nextGaussian();
            im[i] = rng.nextGaussian();
        }
        double[] fr = new double[t.gridSize()], fi = new double[t.gridSize()];
        t.synthesize(re, im, bw, fr, fi);
        double[] br = new double[size], bi = new double[size];
        t.analyze(fr, fi, bw, br, bi);
        for (int i = 0; i < size; i++) {
            assertEquals(re[i], br[i], 1e-12);
            assertEquals(im[i], bi[i], 1e-12);
        }
        double[] cosBeta = new double[t.gridSize()];
        for (int i = 0; i < cosBeta.length; i++) {
            cosBeta[i] = t.rotation(i).m()[8];
        }
        t.analyze(cosBeta, null, bw, br, bi);
        for (int i = 0; i < size; i++) {
            assertEquals(i == WignerD.index(1, 0, 0) ? 1 : 0, br[i], 1e-13);
            assertEquals(0, bi[i], 1e-13);
        }
        // grid values agree with D evaluated directly at the grid rotations
        java.util.Arrays.fill(re, 0);
        java.util.Arrays.fill(im, 0);
        re[WignerD.index(3, 2, -1)] = 1;
        t.synthesize(re, im, bw, fr, fi);
        for (int i = 0; i < t.gridSize(); i += 7) {
            double[][] dd = WignerD.full(bw, t.rotation(i));
            assertEquals(dd[0][WignerD.index(3, 2, -1)], fr[i], 1e-12);
            assertEquals(dd[1][WignerD.index(3, 2, -1)], fi[i], 1e-12);
        }
    }
}
