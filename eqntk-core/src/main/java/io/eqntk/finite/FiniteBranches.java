package io.eqntk.finite;

import io.eqntk.EqntkException;
import io.eqntk.model.FeatureShape;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Parallel branches at finite width, each a serial stack of finite layers with its own parameters (stored one
 * branch after another in this layer's block), combined by a sum or by concatenating channels (branch b's
 * channels after those of branches 0 .. b-1). An empty branch is the identity. Concatenation works on runs of
 * channels, so it is the same in the plain [|G|][H][W][C] and the batched [H][W][|G|][C] layouts.
 */
public final class FiniteBranches extends ShapedLayer implements BatchedLayer {
    private final List<List<FiniteLayer>> branches;
    private final boolean concat;
    /** offsets[b][j]: where layer j of branch b has its parameters, from the start of this layer's block. */
    private final int[][] offsets;
    private final int parameterCount;
    /** Channels of one branch's output. */
    private final int branchChannels;

    /**
     * @param branches each branch's layers, shapes chained from {@code in}; all branches end in the same shape
     * @param concat   concatenate channels (else sum)
     */
    public FiniteBranches(FeatureShape in, FeatureShape out, List<List<FiniteLayer>> branches, boolean concat) {
        super(in, out);
        this.branches = List.copyOf(branches);
        this.concat = concat;
        this.offsets = new int[branches.size()][];
        int off = 0;
        for (int b = 0; b < branches.size(); b++) {
            List<FiniteLayer> layers = branches.get(b);
            offsets[b] = new int[layers.size()];
            for (int j = 0; j < layers.size(); j++) {
                offsets[b][j] = off;
                off += layers.get(j).parameterCount();
            }
        }
        this.parameterCount = off;
        this.branchChannels = concat ? out.channels() / branches.size() : out.channels();
    }

    @Override
    public int parameterCount() {
        return parameterCount;
    }

    @Override
    public void init(double[] params, int off, Random rng) {
        for (int b = 0; b < branches.size(); b++) {
            for (int j = 0; j < branches.get(b).size(); j++) {
                branches.get(b).get(j).init(params, off + offsets[b][j], rng);
            }
        }
    }

    /** Runs of channels per image: positions times group copies (1 for a vector). */
    private int runs() {
        return outputShape().size() / (branchChannels * (concat ? branches.size() : 1));
    }

    // ---------------------------------------------------------------- plain single-image loops

    /** Branch b's activations on {@code in}: element 0 is the input. */
    private double[][] branchForward(int b, double[] params, int off, double[] in) {
        List<FiniteLayer> layers = branches.get(b);
        double[][] acts = new double[layers.size() + 1][];
        acts[0] = in;
        for (int j = 0; j < layers.size(); j++) {
            acts[j + 1] = new double[layers.get(j).outputShape().size()];
            layers.get(j).forward(params, off + offsets[b][j], acts[j], acts[j + 1]);
        }
        return acts;
    }

    @Override
    public void forward(double[] params, int off, double[] in, double[] out) {
        java.util.Arrays.fill(out, 0, outputShape().size(), 0.0);
        for (int b = 0; b < branches.size(); b++) {
            double[][] acts = branchForward(b, params, off, in);
            double[] y = acts[acts.length - 1];
            if (concat) {
                int k = branches.size();
                for (int r = 0; r < runs(); r++) {
                    System.arraycopy(y, r * branchChannels, out, (r * k + b) * branchChannels, branchChannels);
                }
            } else {
                for (int i = 0; i < y.length; i++) {
                    out[i] += y[i];
                }
            }
        }
    }

    @Override
    public void backward(double[] params, int off, double[] in, double[] out, double[] gradOut,
                         double[] gradParams, double[] gradIn) {
        java.util.Arrays.fill(gradIn, 0, inputShape().size(), 0.0);
        for (int b = 0; b < branches.size(); b++) {
            List<FiniteLayer> layers = branches.get(b);
            double[][] acts = branchForward(b, params, off, in);
            double[] g = concat ? columns(gradOut, b) : gradOut;
            for (int j = layers.size() - 1; j >= 0; j--) {
                double[] gin = new double[layers.get(j).inputShape().size()];
                layers.get(j).backward(params, off + offsets[b][j], acts[j], acts[j + 1], g, gradParams, gin);
                g = gin;
            }
            for (int i = 0; i < g.length; i++) {
                gradIn[i] += g[i];
            }
        }
    }

    /** Branch b's channels of a concatenated map. */
    private double[] columns(double[] cat, int b) {
        int k = branches.size();
        double[] out = new double[runs() * branchChannels];
        for (int r = 0; r < runs(); r++) {
            System.arraycopy(cat, (r * k + b) * branchChannels, out, r * branchChannels, branchChannels);
        }
        return out;
    }

    // ---------------------------------------------------------------- batched face

    /** A pass's state: the inner layers' prepared parameters and, after forward, the branches' activations. */
    private static final class Prepared {
        final Object[][] inner;
        final Object[][] acts;

        Prepared(int branches) {
            inner = new Object[branches][];
            acts = new Object[branches][];
        }
    }

    private BatchedLayer batched(int b, int j) {
        FiniteLayer f = branches.get(b).get(j);
        if (!(f instanceof BatchedLayer l)) {
            throw new EqntkException("branch layer " + f.getClass().getSimpleName() + " has no batched finite face");
        }
        return l;
    }

    @Override
    public Object prepare(Compute c, double[] params, int off) {
        Prepared p = new Prepared(branches.size());
        for (int b = 0; b < branches.size(); b++) {
            int layers = branches.get(b).size();
            p.inner[b] = new Object[layers];
            p.acts[b] = new Object[layers + 1];
            for (int j = 0; j < layers; j++) {
                p.inner[b][j] = batched(b, j).prepare(c, params, off + offsets[b][j]);
            }
        }
        return p;
    }

    @Override
    public void forward(Compute c, Object prepared, Object x, Object y, int n) {
        Prepared p = (Prepared) prepared;
        Floats f = c.floats();
        int size = outputShape().size();
        f.clear(y, 0, n * size);
        int k = branches.size();
        for (int b = 0; b < k; b++) {
            Object[] acts = p.acts[b];
            acts[0] = x;
            for (int j = 0; j < branches.get(b).size(); j++) {
                BatchedLayer l = batched(b, j);
                acts[j + 1] = f.alloc(n * l.outputShape().size());
                l.forward(c, p.inner[b][j], acts[j], acts[j + 1], n);
            }
            Object out = acts[acts.length - 1];
            if (concat) {
                for (int r = 0; r < n * runs(); r++) {
                    f.scaled(out, r * branchChannels, y, (r * k + b) * branchChannels, branchChannels, 1.0);
                }
            } else {
                f.addScaled(out, 0, y, 0, n * size, 1.0);
            }
        }
    }

    /** Branch b's part of a batched output gradient. */
    private Object branchGradient(Floats f, Object gy, int b, int n) {
        if (!concat) {
            return gy;
        }
        int k = branches.size();
        Object g = f.alloc(n * runs() * branchChannels);
        for (int r = 0; r < n * runs(); r++) {
            f.scaled(gy, (r * k + b) * branchChannels, g, r * branchChannels, branchChannels, 1.0);
        }
        return g;
    }

    @Override
    public void backward(Compute c, Object prepared, Object x, Object y, Object gy, Object gx, int n,
                         double[] gradParams, int off) {
        Prepared p = (Prepared) prepared;
        Floats f = c.floats();
        if (gx != null) {
            f.clear(gx, 0, n * inputShape().size());
        }
        for (int b = 0; b < branches.size(); b++) {
            Object g = branchGradient(f, gy, b, n);
            for (int j = branches.get(b).size() - 1; j >= 0; j--) {
                BatchedLayer l = batched(b, j);
                Object gin = j > 0 || gx != null ? f.alloc(n * l.inputShape().size()) : null;
                if (gin != null || gradParams != null) {
                    l.backward(c, p.inner[b][j], p.acts[b][j], p.acts[b][j + 1], g, gin, n, gradParams,
                        off + offsets[b][j]);
                }
                g = gin;
            }
            if (gx != null) {
                f.addScaled(g, 0, gx, 0, n * inputShape().size(), 1.0);
            }
        }
    }

    @Override
    public void perSample(Compute c, Object prepared, Object x, Object gy, int n, double[] rows) {
        Prepared p = (Prepared) prepared;
        Floats f = c.floats();
        for (int b = 0; b < branches.size(); b++) {
            Object g = branchGradient(f, gy, b, n);
            for (int j = branches.get(b).size() - 1; j >= 0; j--) {
                BatchedLayer l = batched(b, j);
                int count = l.parameterCount();
                if (count > 0) {
                    double[] sub = new double[n * count];
                    l.perSample(c, p.inner[b][j], p.acts[b][j], g, n, sub);
                    for (int i = 0; i < n; i++) {
                        System.arraycopy(sub, i * count, rows, i * parameterCount + offsets[b][j], count);
                    }
                }
                if (j > 0) {
                    Object gin = f.alloc(n * l.inputShape().size());
                    l.backward(c, p.inner[b][j], p.acts[b][j], p.acts[b][j + 1], g, gin, n, null, 0);
                    g = gin;
                }
            }
        }
    }

    @Override
    public double productFlops(boolean inputGradient) {
        double s = 0;
        for (int b = 0; b < branches.size(); b++) {
            for (int j = 0; j < branches.get(b).size(); j++) {
                s += batched(b, j).productFlops(j > 0 || inputGradient);
            }
        }
        return s;
    }

    /** The branches' layers (for tests). */
    List<List<FiniteLayer>> branches() {
        return new ArrayList<>(branches);
    }
}
