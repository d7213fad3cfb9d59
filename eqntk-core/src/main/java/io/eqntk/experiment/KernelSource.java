package io.eqntk.experiment;

import io.eqntk.arch.Architecture;
import io.eqntk.kernel.ImageBatch;
import io.eqntk.kernel.KernelEngine;
import io.eqntk.kernel.KernelMatrices;
import io.eqntk.kernel.ProgressListener;

/**
 * Where an experiment gets its kernel matrices from. The default computes them with a {@link KernelEngine};
 * tests substitute a wrapper that counts calls (each model must cost exactly one Gram and one cross call).
 */
public interface KernelSource {
    /** The symmetric Gram matrices K(X, X), NNGP and NTK together. */
    KernelMatrices gram(Architecture arch, ImageBatch x, ProgressListener progress);

    /** The cross matrices K(X1, X2), NNGP and NTK together. */
    KernelMatrices cross(Architecture arch, ImageBatch x1, ImageBatch x2, ProgressListener progress);

    /** Exact kernels from {@link KernelEngine} with the given number of worker threads. */
    static KernelSource engine(int threads) {
        return new KernelSource() {
            @Override
            public KernelMatrices gram(Architecture arch, ImageBatch x, ProgressListener progress) {
                return new KernelEngine(arch, threads).gram(x, progress);
            }

            @Override
            public KernelMatrices cross(Architecture arch, ImageBatch x1, ImageBatch x2, ProgressListener progress) {
                return new KernelEngine(arch, threads).cross(x1, x2, progress);
            }
        };
    }
}
