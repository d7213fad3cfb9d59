package io.eqntk.layer;

import io.eqntk.model.ArchitectureException;
import io.eqntk.model.FeatureShape;
import io.eqntk.finite.FiniteLayer;
import io.eqntk.model.KernelOp;
import io.eqntk.model.Padding;
import io.eqntk.model.Subsampling;
import io.eqntk.finite.FiniteAvgPool;
import io.eqntk.finite.FiniteWindowPool;

/**
 * Average pooling: {@code avgpool(k)} over k x k cells with stride k (k dividing the input size), or in general
 * {@code avgpool(k, stride=s, PAD)}, a k x k window moved by s, SAME or VALID (default VALID, as neural-tangents).
 * Acts on image and group maps alike; on a group map the window centres must be symmetric about the grid's centre
 * ({@link Subsampling}), so that every group element maps the pooled grid onto itself.
 */
public final class AvgPool implements Layer {
    private final int k;
    private final int stride;
    private final Padding padding;

    public AvgPool(int k) {
        this(k, k, Padding.VALID);
    }

    public AvgPool(int k, int stride, Padding padding) {
        if (k < 1) {
            throw new ArchitectureException("pooling size must be positive, got " + k);
        }
        if (stride < 1) {
            throw new ArchitectureException("stride must be at least 1, got " + stride);
        }
        if (padding == Padding.CIRCULAR) {
            throw new ArchitectureException("avgpool takes SAME or VALID padding, not CIRCULAR");
        }
        this.k = k;
        this.stride = stride;
        this.padding = padding;
    }

    public int size() {
        return k;
    }

    public int stride() {
        return stride;
    }

    public Padding padding() {
        return padding;
    }

    /** True for the original cells form avgpool(k): window = stride, VALID. */
    public boolean cells() {
        return stride == k && padding == Padding.VALID;
    }

    @Override
    public String spec() {
        return cells() ? "avgpool(" + k + ")" : "avgpool(" + k + ", " + padding + ", stride=" + stride + ")";
    }

    @Override
    public FeatureShape outputShape(FeatureShape in, int outChannels) {
        if (in.reduced()) {
            throw new ArchitectureException("avgpool needs a spatial input, but the input is a vector " + in);
        }
        if (cells()) {
            if (in.height() % k != 0 || in.width() % k != 0) {
                throw new ArchitectureException("avgpool(" + k + ") needs an input size divisible by " + k + ", got "
                    + in.height() + "x" + in.width());
            }
            return new FeatureShape(in.group(), in.height() / k, in.width() / k, in.channels(), false);
        }
        boolean same = padding == Padding.SAME;
        if (k > in.height() || k > in.width()) {
            // SAME too: taps beyond the input only read zeros, and an unbounded window would be unbounded work
            throw new ArchitectureException("window " + k + "x" + k + " is larger than its " + padding + " input "
                + in.height() + "x" + in.width());
        }
        Subsampling.checkEquivariant(in.isGroupMap() ? in.group() : null, in, k, stride, same,
            "window " + k + " with stride " + stride);
        int ho = new Subsampling(in.height(), k, stride, same).outputs();
        int wo = new Subsampling(in.width(), k, stride, same).outputs();
        return new FeatureShape(in.group(), ho, wo, in.channels(), false);
    }

    @Override
    public KernelOp kernelOp() {
        return cells() ? new KernelOp.AvgPool(k) : new KernelOp.WindowPool(k, stride, padding);
    }

    @Override
    public FiniteLayer finite(FeatureShape in, FeatureShape out) {
        return cells() ? new FiniteAvgPool(in, out, k)
            : new FiniteWindowPool(in, out, k, stride, padding == Padding.SAME);
    }
}
