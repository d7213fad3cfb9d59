package io.eqntk.experiment;

import io.eqntk.arch.Architecture;
import io.eqntk.kernel.ImageBatch;
import io.eqntk.kernel.KernelEngine;
import io.eqntk.kernel.KernelMatrices;
import io.eqntk.kernel.ProgressListener;
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

    /**
     * Exact kernels through a {@link KernelStore}: blocks already computed for the same architecture and images
     * (in any earlier run) are loaded, the rest computed and kept. Bit for bit the engine's matrices.
     */
    static KernelSource stored(KernelStore store, int threads) {
        return new KernelSource() {
            @Override
            public KernelMatrices gram(Architecture arch, ImageBatch x, ProgressListener progress) {
                return store.gram(new KernelEngine(arch, threads), x, "experiment gram " + arch.spec(), progress);
            }

            @Override
            public KernelMatrices cross(Architecture arch, ImageBatch x1, ImageBatch x2, ProgressListener progress) {
                return store.cross(new KernelEngine(arch, threads), x1, x2, "experiment cross " + arch.spec(),
                    progress);
            }
        };
    }
}
