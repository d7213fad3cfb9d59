package io.eqntk.experiment;

import io.eqntk.arch.Architecture;
import io.eqntk.kernel.ImageBatch;
import io.eqntk.kernel.KernelMatrices;
import io.eqntk.kernel.ProgressListener;
import io.eqntk.model.ArchitectureException;
import io.eqntk.sphere.SphereSignal;
import io.eqntk.sphere.kernel.SphericalKernels;
import io.eqntk.sphere.SphericalPlan;

import java.util.ArrayList;
import java.util.List;

/**
 * A {@link KernelSource} that evaluates spherical architectures ({@link Architecture#isSpherical()}) with the
 * spherical evaluator ({@link SphericalKernels} on the given worker threads, same bits for any count; not stored) and hands every planar one to the source
 * it wraps. Spherical inputs travel as images: a signal on the S2 grid of bandwidth L is the 2L x 2L image of its
 * samples (rows θ, columns φ, channels last; {@link SphereSignal#toImage}).
 */
public final class SphericalKernelSource implements KernelSource {
    private final KernelSource planar;
    private final int threads;

    public SphericalKernelSource(KernelSource planar) {
        this(planar, 1);
    }

    public SphericalKernelSource(KernelSource planar, int threads) {
        this.planar = planar;
        this.threads = threads;
    }

    /** The source itself when it already routes spherical architectures, else the source wrapped. */
    public static KernelSource routing(KernelSource source) {
        return routing(source, 1);
    }

    /** {@link #routing(KernelSource)} with spherical kernels on {@code threads} workers. */
    public static KernelSource routing(KernelSource source, int threads) {
        return source instanceof SphericalKernelSource ? source : new SphericalKernelSource(source, threads);
    }

    /**
     * The validated spherical network for images that hold S2 grids: square, of even size 2L.
     *
     * @throws ArchitectureException naming the layer or the image size
     */
    public static SphericalPlan plan(Architecture arch, int height, int width, int channels) {
        if (height != width || height % 2 != 0) {
            throw new ArchitectureException("a spherical network needs signals on the 2L x 2L grid of a bandwidth L"
                + ", but the inputs are " + height + "x" + width + " (use an even --image-size, twice the bandwidth)");
        }
        return arch.sphericalPlan(height / 2, channels);
    }

    @Override
    public KernelMatrices gram(Architecture arch, ImageBatch x, ProgressListener progress) {
        if (!arch.isSpherical()) {
            return planar.gram(arch, x, progress);
        }
        double[][] k = kernels(arch, x).gram(signals(x), threads);
        progress.progress(1, 1);
        return new KernelMatrices(x.count(), x.count(), k[0], k[1]);
    }

    @Override
    public KernelMatrices cross(Architecture arch, ImageBatch x1, ImageBatch x2, ProgressListener progress) {
        if (!arch.isSpherical()) {
            return planar.cross(arch, x1, x2, progress);
        }
        double[][] k = kernels(arch, x1).cross(signals(x1), signals(x2), threads);
        progress.progress(1, 1);
        return new KernelMatrices(x1.count(), x2.count(), k[0], k[1]);
    }

    /** The planar source's precision (spherical kernels are always float64). */
    @Override
    public io.eqntk.model.Precision precision() {
        return planar.precision();
    }

    @Override
    public double[][] self(Architecture arch, ImageBatch x) {
        if (!arch.isSpherical()) {
            return planar.self(arch, x);
        }
        SphericalKernels k = kernels(arch, x);
        double[][] out = new double[2][x.count()];
        List<SphereSignal> xs = signals(x);
        for (int i = 0; i < xs.size(); i++) {
            SphericalKernels.Pair p = k.pair(xs.get(i), xs.get(i));
            out[0][i] = p.nngp();
            out[1][i] = p.ntk();
        }
        return out;
    }

    private static SphericalKernels kernels(Architecture arch, ImageBatch x) {
        return new SphericalKernels(plan(arch, x.height(), x.width(), x.channels()));
    }

    /** The images of a batch as spherical signals (each a 2L x 2L grid). */
    public static List<SphereSignal> signals(ImageBatch x) {
        List<SphereSignal> out = new ArrayList<>(x.count());
        for (int i = 0; i < x.count(); i++) {
            out.add(SphereSignal.fromImage(x.data(), i * x.imageSize(), x.height() / 2, x.channels()));
        }
        return out;
    }
}
