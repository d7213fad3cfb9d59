package io.eqntk.experiment;

import io.eqntk.arch.Architecture;
import io.eqntk.kernel.ImageBatch;
import io.eqntk.kernel.KernelChecks;
import io.eqntk.kernel.KernelEngine;
import io.eqntk.kernel.KernelMatrices;
import io.eqntk.kernel.ProgressListener;
import io.eqntk.model.Precision;
import io.eqntk.store.KernelStore;

/**
 * Where an experiment gets its kernel matrices from. The default computes them with a {@link KernelEngine};
 * tests substitute a wrapper that counts calls (each model must cost exactly one Gram and one cross call).
 */
public interface KernelSource {
    /** The symmetric Gram matrices K(X, X), NNGP and NTK together. */
    KernelMatrices gram(Architecture arch, ImageBatch x, ProgressListener progress);

    /** The cross matrices K(X1, X2), NNGP and NTK together. */
    KernelMatrices cross(Architecture arch, ImageBatch x1, ImageBatch x2, ProgressListener progress);

    /**
     * The self kernels k(x, x) of every image, {NNGP, NTK} (each of length n): the prior variances that the
     * NNGP posterior needs. The default evaluates one self pass per image, exactly as the diagonal of a Gram
     * matrix, on one thread.
     */
    default double[][] self(Architecture arch, ImageBatch x) {
        return selfKernels(new KernelEngine(arch, 1).withPrecision(precision()), x);
    }

    /**
     * The arithmetic of the kernels (every evaluation path of the planar engine; spherical kernels are float64).
     * The Gram solves of the predictors are float64 either way.
     */
    default Precision precision() {
        return Precision.FLOAT64;
    }

    /** The self kernels of every image under an engine (one Gram block of one image each). */
    static double[][] selfKernels(KernelEngine engine, ImageBatch x) {
        int n = x.count();
        double[][] out = new double[2][n];
        int s = x.imageSize();
        for (int i = 0; i < n; i++) {
            ImageBatch one = new ImageBatch(java.util.Arrays.copyOfRange(x.data(), i * s, (i + 1) * s), 1,
                x.height(), x.width(), x.channels());
            KernelMatrices k = engine.gramBlock(one, 0, one, 0, ProgressListener.NONE);
            out[0][i] = k.nngp()[0];
            out[1][i] = k.ntk()[0];
        }
        return out;
    }

    /** Exact kernels from {@link KernelEngine} with the given number of worker threads, in float64. */
    static KernelSource engine(int threads) {
        return engine(threads, Precision.FLOAT64);
    }

    /**
     * Exact kernels from {@link KernelEngine} with the given number of worker threads, computed in {@code p} and
     * checked as the store checks its blocks (a non-finite or underflowed entry is an error naming the model and
     * the layer where it began); spherical architectures from the spherical evaluator
     * ({@link SphericalKernelSource}).
     */
    static KernelSource engine(int threads, Precision p) {
        return SphericalKernelSource.routing(new KernelSource() {
            @Override
            public KernelMatrices gram(Architecture arch, ImageBatch x, ProgressListener progress) {
                KernelEngine engine = new KernelEngine(arch, threads).withPrecision(p);
                KernelMatrices k = engine.gram(x, progress);
                KernelChecks.requireGram(engine, x, k, "experiment gram " + arch.spec());
                return k;
            }

            @Override
            public KernelMatrices cross(Architecture arch, ImageBatch x1, ImageBatch x2, ProgressListener progress) {
                KernelEngine engine = new KernelEngine(arch, threads).withPrecision(p);
                KernelMatrices k = engine.cross(x1, x2, progress);
                KernelChecks.requireCross(engine, x1, x2, k, "experiment cross " + arch.spec());
                return k;
            }

            @Override
            public Precision precision() {
                return p;
            }
        }, threads);
    }

    /**
     * Exact kernels through a {@link KernelStore}: blocks already computed for the same architecture and images
     * (in any earlier run) are loaded, the rest computed and kept. Bit for bit the engine's matrices. Spherical
     * architectures are computed in memory by the spherical evaluator and not stored.
     */
    static KernelSource stored(KernelStore store, int threads) {
        return stored(store, threads, Precision.FLOAT64);
    }

    /** {@link #stored(KernelStore, int)} computing in {@code p} (the store's key records the precision). */
    static KernelSource stored(KernelStore store, int threads, Precision p) {
        return SphericalKernelSource.routing(new KernelSource() {
            @Override
            public KernelMatrices gram(Architecture arch, ImageBatch x, ProgressListener progress) {
                return store.gram(new KernelEngine(arch, threads).withPrecision(p), x, "experiment gram " + arch.spec(),
                    progress);
            }

            @Override
            public KernelMatrices cross(Architecture arch, ImageBatch x1, ImageBatch x2, ProgressListener progress) {
                return store.cross(new KernelEngine(arch, threads).withPrecision(p), x1, x2,
                    "experiment cross " + arch.spec(), progress);
            }

            @Override
            public Precision precision() {
                return p;
            }
        }, threads);
    }
}
