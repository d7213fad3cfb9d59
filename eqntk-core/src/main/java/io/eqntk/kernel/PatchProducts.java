// float32 twin: PatchProducts32, generated from this file by eqntk-core/src/build/PrecisionTwins.java
package io.eqntk.kernel;

import io.eqntk.kernel.map.VectorSupport;

/**
 * The products of two patch matrices that a strided first layer reduces to (KernelState#initStridedStencil):
 * {@code out[o po + u] = sum_e a[o width + e] b[u width + e]}, each entry summed in e order from +0. The vector
 * version keeps that order entry by entry (a separate multiply and add per term, no fused multiply-add), so both
 * give the same bits.
 */
final class PatchProducts {
    private PatchProducts() {
    }

    /** The product into out[0, po²); scratch grows as the vector version needs (returned, possibly reallocated). */
    static double[] product(double[] a, double[] b, int po, int width, double[] out, double[] scratch) {
        if (VectorSupport.ENABLED && po >= VectorSupport.MIN_LENGTH) {
            return VectorPatchProducts.product(a, b, po, width, out, scratch);
        }
        scalarProduct(a, b, po, width, out);
        return scratch;
    }

    static void scalarProduct(double[] a, double[] b, int po, int width, double[] out) {
        for (int o = 0; o < po; o++) {
            int ao = o * width;
            for (int u = 0; u < po; u++) {
                int bu = u * width;
                double acc = 0;
                for (int e = 0; e < width; e++) {
                    acc += a[ao + e] * b[bu + e];
                }
                out[o * po + u] = acc;
            }
        }
    }
}
