package io.eqntk.experiment;

import io.eqntk.arch.Architecture;
import io.eqntk.data.ColorMode;
import io.eqntk.data.Dataset;
import io.eqntk.data.Datasets;
import io.eqntk.data.Images;
import io.eqntk.data.LoadOptions;
import io.eqntk.data.Preprocess;
import io.eqntk.group.PointGroup;
import io.eqntk.kernel.ImageBatch;
import io.eqntk.kernel.KernelEngine;
import io.eqntk.kernel.KernelMatrices;
import io.eqntk.kernel.ProgressListener;
import io.eqntk.predict.Classification;
import io.eqntk.predict.KernelRegression;
import io.eqntk.predict.Ridge;
import io.eqntk.train.Augmentation;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The orbit identity at the level of predictions (KERNELS.md section 3): kernel regression with the C4 kernel
 * equals kernel regression with the CNN kernel on the training set augmented by all four rotations
 * ({@link Augmentation#orbit}), with the absolute ridge of the group regression 1/|H| times that of the augmented one.
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
class OrbitIdentityTest {
    static final String GCNN = "lift(C4, 3, SAME) relu gconv(3, SAME) relu gpool dense";
    static final String CNN = "conv(3, SAME) relu conv(3, SAME) relu gap dense";

    @Test
    void groupKernelRegressionEqualsCnnRegressionOnOrbitAugmentedData() {
        Dataset d = Preprocess.standardize(Datasets.open("pcam-1000", null,
            LoadOptions.defaults().withSize(8).withColorMode(ColorMode.RGB).withCaps(12, 0, 5)));
        Images train = d.train();
        Images test = d.test();
        ImageBatch x = new ImageBatch(train.data(), train.count(), 8, 8, 3);
        ImageBatch z = new ImageBatch(test.data(), test.count(), 8, 8, 3);
        PointGroup c4 = PointGroup.C4;
        ImageBatch xAug = Augmentation.orbit(x, c4);
        assertEquals(48, xAug.count());

        KernelEngine group = new KernelEngine(Architecture.parse(GCNN), 2);
        KernelEngine plain = new KernelEngine(Architecture.parse(CNN), 2);
        KernelMatrices gTrain = group.gram(x, ProgressListener.NONE);
        KernelMatrices gTest = group.cross(z, x, ProgressListener.NONE);
        KernelMatrices aTrain = plain.gram(xAug, ProgressListener.NONE);
        KernelMatrices aTest = plain.cross(z, xAug, ProgressListener.NONE);

        int k = 2;
        double[] y = Classification.targets(train.labels(), k);
        double[] yAug = Augmentation.repeatTargets(y, x.count(), k, c4.order());
        for (String kind : new String[] {"ntk", "nngp"}) {
            double[] kg = kind.equals("ntk") ? gTrain.ntk() : gTrain.nngp();
            double[] kgz = kind.equals("ntk") ? gTest.ntk() : gTest.nngp();
            double[] ka = kind.equals("ntk") ? aTrain.ntk() : aTrain.nngp();
            double[] kaz = kind.equals("ntk") ? aTest.ntk() : aTest.nngp();
            double scale = 0;
            for (int i = 0; i < x.count(); i++) {
                scale += kg[i * x.count() + i] / x.count();
            }
            double mu = 1e-2 * scale; // the augmented regression's absolute ridge
            KernelRegression aug = new KernelRegression(ka, xAug.count(), Ridge.absolute(mu), m -> { });
            KernelRegression grp = new KernelRegression(kg, x.count(), Ridge.absolute(mu / c4.order()), m -> { });
            assertEquals(mu / 4, grp.ridgeUsed(), 0.0);
            for (double t : new double[] {Double.POSITIVE_INFINITY, 3.0}) {
                double[] pa = aug.predictAt(t, kaz, z.count(), yAug, k);
                double[] pg = grp.predictAt(t, kgz, z.count(), y, k);
                double max = 0;
                for (double v : pg) {
                    max = Math.max(max, Math.abs(v));
                }
                assertTrue(max > 1e-3, "predictions are not trivially zero");
                for (int i = 0; i < pa.length; i++) {
                    assertEquals(pg[i], pa[i], 1e-8, kind + " t=" + t + " prediction " + i);
                }
            }
        }
    }
}
