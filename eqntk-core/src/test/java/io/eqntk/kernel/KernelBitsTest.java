package io.eqntk.kernel;

import io.eqntk.kernel.map.VectorSupport;
import io.eqntk.model.Precision;
import io.eqntk.TestImages;
import io.eqntk.arch.Architecture;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The slice path's kernels, to the last bit, in both precisions and with vector and scalar loops: each case's
 * Gram and cross matrices are reduced to a digest of their raw bits, recorded from the engine at commit 4aecd71
 * (store numerics revision 2, when the float32 sources were still written by hand). A change that alters any
 * bit fails here; one that does so on purpose must bump the numerics revision and record the digests again
 * (run with {@code -Deqntk.bits.print=true} to print them).
 */
class KernelBitsTest {
    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "conv(3) relu conv(3) relu gap dense; 8; 8; 3; float64; 1b74d55103036796; 3e76240c211b199a",
        "conv(3) relu conv(3) relu gap dense; 8; 8; 3; float32; 5439d37769c0adb7; 619d6191ee3ef34c",
        "conv(3) relu conv(3) relu gap dense; 5; 7; 2; float64; c782ef1a91fc04d3; c74a1c67e658447f",
        "conv(3) relu conv(3) relu gap dense; 5; 7; 2; float32; 6166432fe74b1e6d; b0a181ce6c9f414d",
        "lift(C4, 3, VALID) erf gconv(3, VALID) relu gpool dense; 8; 8; 3; float64; 32ff3ef60e7cc178; 840799fd2dd1c6c4",
        "lift(C4, 3, VALID) erf gconv(3, VALID) relu gpool dense; 8; 8; 3; float32; 7356d5f5ddd396c6; 328a12e475996abf",
        "lift(C4, 3, VALID) erf gconv(3, VALID) relu gpool dense; 5; 5; 2; float64; f380f1556b215eb7; f380f1556b215eb7",
        "lift(C4, 3, VALID) erf gconv(3, VALID) relu gpool dense; 5; 5; 2; float32; 29b6d6037bdeacbd; 29b6d6037bdeacbd",
        "conv(5, w=1.3) erf conv(3, VALID, b=0.2) relu conv(3, b=0.1) erf gap dense; 9; 11; 3; float64; 9671cb642b839d71; ee414db3bed779dc",
        "conv(5, w=1.3) erf conv(3, VALID, b=0.2) relu conv(3, b=0.1) erf gap dense; 9; 11; 3; float32; 2297086e0beec40f; 76dd5e24a8c1ee9f",
        "lift(D4, 3, SAME, b=0.1) relu gconv(3, VALID) erf gpool dense relu dense; 7; 7; 1; float64; e8fea5b4e9f68582; 70d36707830297d2",
        "lift(D4, 3, SAME, b=0.1) relu gconv(3, VALID) erf gpool dense relu dense; 7; 7; 1; float32; 497d74973a0a8265; 42e21412b59985e4",
        "[conv(3) relu]*6 gap dense; 12; 12; 3; float64; b701a69bd95865ab; c76556988c94857a",
        "[conv(3) relu]*6 gap dense; 12; 12; 3; float32; 34992909fccde7b6; 961a6002e468b59c",
    })
    void kernelsKeepTheirBits(String spec, int h, int w, int c, String precision, String scalar, String avx2) {
        KernelEngine vector = new KernelEngine(Architecture.parse(spec), 2).withPrecision(Precision.of(precision));
        assertEquals(KernelEngine.Evaluation.SLICES, vector.evaluation());
        ImageBatch x1 = TestImages.gaussian(4, h, w, c, 11L * h + w);
        ImageBatch x2 = TestImages.gaussian(3, h, w, c, 7L * h + w + 1);
        String gotScalar = digest(vector.withScalarSlices(), x1, x2);
        String gotVector = digest(vector, x1, x2);
        if (Boolean.getBoolean("eqntk.bits.print")) {
            System.out.println(spec + "; " + h + "; " + w + "; " + c + "; " + precision + "; " + gotScalar + "; "
                + gotVector);
        }
        String what = spec + " on " + h + "x" + w + "x" + c + " in " + precision;
        // the scalar slice loops (and the nonlinearity maps, vector or not) give the same bits on any machine
        assertEquals(scalar, gotScalar, what + ", scalar slices");
        // vector slice sums add lane-wise partial sums, so their bits depend on the vector width: the recorded
        // ones are for 256-bit vectors (AVX2: 4 double or 8 float lanes)
        if (VectorSupport.ENABLED && VectorSliceOps.LANES == 4) {
            assertEquals(avx2, gotVector, what + ", vector slices");
        }
    }

    private static String digest(KernelEngine e, ImageBatch x1, ImageBatch x2) {
        long d = digest(0, e.gram(x1, ProgressListener.NONE));
        return Long.toHexString(digest(d, e.cross(x1, x2, ProgressListener.NONE)));
    }

    /** A 64-bit digest (FNV-1a over the bytes' words, mixed) of both matrices' raw bits, chained onto {@code d}. */
    private static long digest(long d, KernelMatrices k) {
        for (double[] m : new double[][] {k.nngp(), k.ntk()}) {
            for (double v : m) {
                d = (d ^ Double.doubleToRawLongBits(v)) * 0x100000001b3L;
                d ^= d >>> 29;
            }
        }
        return d;
    }
}
