package io.eqntk.experiment;

/**
 * One evaluated combination of an experiment.
 *
 * @param model          the model name as given ({@code cnn}, {@code c4}, ...)
 * @param architecture   its architecture string
 * @param kernel         {@code ntk} or {@code nngp}
 * @param trainSize      the number of training images
 * @param seed           the seed of the training subset
 * @param ridge          the chosen relative ridge value (or absolute, see {@code ridgeKind})
 * @param ridgeKind      {@code rel} or {@code abs}
 * @param ridgeUsed      the diagonal actually added to the train kernel
 * @param validAccuracy  validation accuracy of the chosen ridge
 * @param accuracy       test accuracy
 * @param imageSize      the image size
 * @param dataset        the dataset name as given
 * @param seconds        time of the ridge selection and test prediction of this combination
 * @param kernelSeconds  time of the model's kernel computation (shared by all its combinations)
 */
public record ResultRow(String model, String architecture, String kernel, int trainSize, int seed, double ridge,
                        String ridgeKind, double ridgeUsed, double validAccuracy, double accuracy, int imageSize,
                        String dataset, double seconds, double kernelSeconds) {
}
