package io.eqntk.experiment;

import io.eqntk.EqntkException;
import io.eqntk.group.PointGroup;
import io.eqntk.kernel.ImageBatch;
import io.eqntk.predict.Ridge;

/**
 * Data augmentation by the full orbit of a point group, and the ridge under which kernel regression on the
 * augmented data equals kernel regression with the group kernel (KERNELS.md section 3).
 *
 * <p>For a network of lifting, group convolutions, nonlinearities, group pooling and then only affine layers,
 * {@code K_G(x, x') = (1/|H|) sum_g K(x, g x')} with K the kernel of the same network built from ordinary
 * convolutions and global average pooling. K is invariant under transforming both inputs by the same g.
 *
 * <p>Derivation of the ridge: augment the n training images to the N = n|H| images {@code g x_i} with repeated
 * targets, and solve {@code (A + mu I) alpha = Y~} with {@code A = K(X~, X~)}. Transforming every augmented image
 * by one h permutes the augmented set within each orbit and leaves A and Y~ unchanged, so the unique solution
 * alpha is constant on orbits: {@code alpha_(i,g) = beta_i}. Row (i, g) then reads
 * {@code sum_j sum_g' K(g x_i, g' x_j) beta_j + mu beta_i = y_i}, and the inner sum is
 * {@code sum_g' K(x_i, g^-1 g' x_j) = |H| K_G(x_i, x_j)}; hence {@code (|H| K_G + mu I) beta = Y}. The prediction
 * is {@code sum_(j,g') K(z, g' x_j) beta_j = |H| K_G(z, X) beta = K_G(z, X) (K_G + (mu/|H|) I)^-1 Y}: kernel
 * regression with K_G and the absolute ridge {@code mu / |H|}. (A relative ridge does not carry over: the mean
 * diagonal of A is the mean of {@code K(x, x)}, not of {@code K_G(x, x)}.) At a finite training time t the same
 * holds with the same t, since on orbit-constant vectors the eigenvalues of A are |H| times those of K_G and the
 * gradient-flow exponent divides by the number of training points, which is also |H| times larger.
 */
public final class OrbitAugmentation {
    private OrbitAugmentation() {
    }

    /**
     * Every image followed by its transforms: image i, element g is at index {@code i * |H| + g}
     * ({@code g = 0} is the identity). Images must be square.
     */
    public static ImageBatch augment(ImageBatch x, PointGroup group) {
        if (x.height() != x.width()) {
            throw new EqntkException("orbit augmentation needs square images, got " + x.height() + "x" + x.width());
        }
        int h = group.order();
        int s = x.imageSize();
        double[] out = new double[x.count() * h * s];
        for (int i = 0; i < x.count(); i++) {
            double[] img = x.image(i);
            for (int g = 0; g < h; g++) {
                System.arraycopy(group.transformImage(g, img, x.height(), x.channels()), 0, out, (i * h + g) * s, s);
            }
        }
        return new ImageBatch(out, x.count() * h, x.height(), x.width(), x.channels());
    }

    /** Labels repeated to match {@link #augment}: label i at indices {@code i*|H| .. i*|H| + |H| - 1}. */
    public static int[] repeatLabels(int[] labels, PointGroup group) {
        int h = group.order();
        int[] out = new int[labels.length * h];
        for (int i = 0; i < labels.length; i++) {
            for (int g = 0; g < h; g++) {
                out[i * h + g] = labels[i];
            }
        }
        return out;
    }

    /** Rows of an n x k target matrix repeated to match {@link #augment}. */
    public static double[] repeatRows(double[] y, int n, int k, PointGroup group) {
        int h = group.order();
        double[] out = new double[n * h * k];
        for (int i = 0; i < n; i++) {
            for (int g = 0; g < h; g++) {
                System.arraycopy(y, i * k, out, (i * h + g) * k, k);
            }
        }
        return out;
    }

    /**
     * The absolute ridge of the group-kernel regression that equals regression with the ordinary kernel on the
     * orbit-augmented data with absolute ridge {@code augmentedLambda}: {@code augmentedLambda / |H|}.
     */
    public static Ridge groupRidge(double augmentedLambda, PointGroup group) {
        return Ridge.absolute(augmentedLambda / group.order());
    }
}
