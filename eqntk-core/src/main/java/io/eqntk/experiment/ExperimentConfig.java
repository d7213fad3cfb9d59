package io.eqntk.experiment;

import io.eqntk.EqntkException;
import io.eqntk.data.ColorMode;
import io.eqntk.group.PointGroup;
import io.eqntk.predict.Ridge;

import java.util.ArrayList;
import java.util.List;

/**
 * What an experiment compares: models and kernels on one dataset, over training-set sizes and seeds.
 *
 * @param dataset    a known dataset name ({@code pcam}, {@code pcam-1000}, {@code breastmnist}, ...), the special
 *                   {@code mnist-rot} (upright training digits, test digits rotated by random multiples of 90
 *                   degrees), or a path to a folder, CSV or .npz
 * @param imageSize  images are resized to this square size by area averaging ({@code > 0})
 * @param models     the models, at least one, unique names
 * @param kernels    which kernels to evaluate (both come from the same computation)
 * @param trainSizes training-set sizes, at least one, each {@code >= 1}; sorted ascending, duplicates dropped
 * @param seeds      the number of seeds (0 .. seeds-1), {@code >= 1}
 * @param testSize   a stratified cap on the test split; 0 = the whole test split
 * @param validSize  a stratified cap on the validation split used to choose the ridge; 0 = the whole split
 * @param poolSize   a stratified cap on the training split from which every seed draws its subsets (0 = the whole
 *                   split); a smaller pool bounds the Gram matrix at poolSize x poolSize
 * @param ridges     candidate ridges, at least one (chosen per model, kernel, size and seed on the validation split)
 * @param color      colour mode ({@link ColorMode#KEEP}: the source's own channels; null = the dataset default)
 * @param rotateTest when not null, every test image is transformed by a seeded random element of this group
 * @param dataSeed   seed of the validation/test caps, split carving and test rotations (fixed across seeds)
 * @param cropCenter crop the centre N x N pixels of every image before resizing (0 = the whole image)
 */
public record ExperimentConfig(String dataset, int imageSize, List<ModelSpec> models, List<KernelKind> kernels,
                               List<Integer> trainSizes, int seeds, int testSize, int validSize, int poolSize,
                               List<Ridge> ridges,
                               ColorMode color, PointGroup rotateTest, long dataSeed, int cropCenter) {
    /** Default candidate ridges: relative, 1e-6 to 1 in half decades. */
    public static List<Ridge> defaultRidges() {
        List<Ridge> r = new ArrayList<>();
        for (int e = -12; e <= 0; e++) {
            r.add(Ridge.relative(Double.parseDouble(e % 2 == 0 ? "1e" + (e / 2) : String.valueOf(Math.pow(10, e / 2.0)))));
        }
        return r;
    }

    public ExperimentConfig {
        if (dataset == null || dataset.isBlank()) {
            throw new EqntkException("--dataset is empty");
        }
        if (imageSize < 1) {
            throw new EqntkException("--image-size must be at least 1, got " + imageSize);
        }
        if (models == null || models.isEmpty()) {
            throw new EqntkException("no models given (--models)");
        }
        if (kernels == null || kernels.isEmpty()) {
            throw new EqntkException("no kernels given (--kernels)");
        }
        if (trainSizes == null || trainSizes.isEmpty()) {
            throw new EqntkException("--train-sizes is empty");
        }
        for (int s : trainSizes) {
            if (s < 1) {
                throw new EqntkException("training-set sizes must be at least 1, got " + s);
            }
        }
        trainSizes = trainSizes.stream().distinct().sorted().toList();
        if (seeds < 1) {
            throw new EqntkException("--seeds must be at least 1, got " + seeds);
        }
        if (testSize < 0 || validSize < 0 || poolSize < 0) {
            throw new EqntkException("--test-size, --valid-size and --pool-size must not be negative");
        }
        if (poolSize > 0 && trainSizes.get(trainSizes.size() - 1) > poolSize) {
            throw new EqntkException("training-set size " + trainSizes.get(trainSizes.size() - 1)
                + " is larger than --pool-size " + poolSize);
        }
        if (cropCenter < 0) {
            throw new EqntkException("--crop-center must not be negative (0 = no crop), got " + cropCenter);
        }
        if (ridges == null || ridges.isEmpty()) {
            throw new EqntkException("--ridges is empty");
        }
        models = List.copyOf(models);
        kernels = List.copyOf(kernels);
        ridges = List.copyOf(ridges);
    }

    /** The largest training-set size. */
    public int maxTrainSize() {
        return trainSizes.get(trainSizes.size() - 1);
    }
}
