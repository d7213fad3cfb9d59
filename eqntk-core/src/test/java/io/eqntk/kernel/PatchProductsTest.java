package io.eqntk.kernel;

import io.eqntk.kernel.map.VectorSupport;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The strided first layer's patch product: vector and scalar give the same bits, and both are the plain sum; the
 * same bit equality for the float32 twin.
 */
class PatchProductsTest {
    @Test
    void vectorProductEqualsScalarBitForBit() {
        assertTrue(VectorSupport.ENABLED);
        Random r = new Random(11);
        double[] scratch = null;
        float[] scratch32 = null;
        // po below, at and between vector lengths and the four-row blocks; widths of q² C for small q and C
        for (int po : new int[] {1, 3, 4, 5, 8, 9, 16, 17, 49, 100, 121}) {
            for (int width : new int[] {1, 3, 27, 75}) {
                double[] a = new double[po * width];
                double[] b = new double[po * width];
                for (int i = 0; i < a.length; i++) {
                    a[i] = r.nextGaussian() * Math.pow(10, r.nextInt(7) - 3);
                    b[i] = i % 13 == 0 ? 0.0 : r.nextGaussian();
                }
                double[] scalar = new double[po * po + 3];
                double[] vector = new double[po * po + 3];
                java.util.Arrays.fill(vector, po * po, vector.length, 7.0);
                PatchProducts.scalarProduct(a, b, po, width, scalar);
                scratch = PatchProducts.product(a, b, po, width, vector, scratch);
                for (int t = 0; t < po * po; t++) {
                    assertEquals(Double.doubleToRawLongBits(scalar[t]), Double.doubleToRawLongBits(vector[t]),
                        "po " + po + " width " + width + " entry " + t);
                }
                // nothing written past po²
                assertEquals(7.0, vector[po * po]);
                // and the scalar loop is the inner product of patch rows (a spot check by a compensated sum)
                int o = po / 2;
                int u = po - 1;
                double exact = 0;
                double comp = 0;
                for (int e = 0; e < width; e++) {
                    double y = a[o * width + e] * b[u * width + e] - comp;
                    double t = exact + y;
                    comp = (t - exact) - y;
                    exact = t;
                }
                assertEquals(exact, scalar[o * po + u], 1e-12 * (1 + Math.abs(exact)) * width);
                // the float32 twin on the same patches, rounded
                float[] scalar32 = new float[po * po + 3];
                float[] vector32 = new float[po * po + 3];
                java.util.Arrays.fill(vector32, po * po, vector32.length, 7f);
                PatchProducts32.scalarProduct(StencilTest.toFloat(a), StencilTest.toFloat(b), po, width, scalar32);
                scratch32 = PatchProducts32.product(StencilTest.toFloat(a), StencilTest.toFloat(b), po, width,
                    vector32, scratch32);
                for (int t = 0; t < po * po; t++) {
                    assertEquals(Float.floatToRawIntBits(scalar32[t]), Float.floatToRawIntBits(vector32[t]),
                        "float32 po " + po + " width " + width + " entry " + t);
                }
                assertEquals(7f, vector32[po * po]);
                // within float rounding of the terms' magnitudes (inputs and every partial sum rounded)
                double magnitude = 0;
                for (int e = 0; e < width; e++) {
                    magnitude += Math.abs(a[o * width + e] * b[u * width + e]);
                }
                assertEquals(exact, scalar32[o * po + u], 1e-6 * width * (magnitude + 1e-30));
            }
        }
    }
}
