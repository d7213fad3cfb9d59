package io.eqntk.experiment;

import io.eqntk.predict.Classification;
import io.eqntk.predict.Metrics;
import io.eqntk.predict.Ridge;

/**
 * One evaluated combination of an experiment. Accuracies, rates and AUC are fractions in [0, 1].
 *
 * @param model            the model name as given ({@code cnn}, {@code c4}, ...)
 * @param architecture     its architecture string
 * @param kernel           {@code ntk} or {@code nngp}; {@code sgd} for a trained finite network
 * @param trainSize        the number of training images
 * @param seed             the seed of the training subset
 * @param ridge            the chosen relative ridge value (or absolute, see {@code ridgeKind})
 * @param ridgeKind        {@code rel} or {@code abs}
 * @param ridgeUsed        the diagonal actually added to the train kernel
 * @param validAccuracy    validation accuracy of the chosen ridge (finite networks: of the chosen step)
 * @param accuracy         test accuracy
 * @param balancedAccuracy mean per-class recall on the test split
 * @param auc              macro one-vs-rest ROC AUC of the regression scores (for two classes: the AUC)
 * @param sensitivity      recall of class 1 (binary tasks; NaN otherwise)
 * @param specificity      recall of class 0 (binary tasks; NaN otherwise)
 * @param logLikelihood    mean log-probability of the true class (NNGP posterior; NaN for the NTK)
 * @param ece              expected calibration error (NNGP posterior; NaN for the NTK)
 * @param imageSize        the image size
 * @param dataset          the dataset name as given
 * @param seconds          time of the ridge selection and test prediction of this combination
 * @param kernelSeconds    time of the model's kernel computation (shared by all its combinations)
 * @param predicted        the predicted class of every test image
 * @param scores           the regression outputs, nTest x k
 * @param probabilities    NNGP class probabilities, nTest x k (null for the NTK)
 */
public record ResultRow(String model, String architecture, String kernel, int trainSize, int seed, double ridge,
                        String ridgeKind, double ridgeUsed, double validAccuracy, double accuracy,
                        double balancedAccuracy, double auc, double sensitivity, double specificity,
                        double logLikelihood, double ece, int imageSize, String dataset, double seconds,
                        double kernelSeconds, int[] predicted, double[] scores, double[] probabilities) {

    /** Measures the test predictions of one combination. */
    static ResultRow of(ModelSpec m, String kernel, int size, int seed, Ridge ridge, double ridgeUsed,
                        double validAccuracy, double[] scores, double[] probs, int[] truth, int k,
                        ExperimentConfig c, double seconds, double kernelSeconds) {
        int n = truth.length;
        int[] predicted = Classification.argmax(scores, n, k);
        boolean binary = k == 2;
        boolean finite = m.isFinite();
        return new ResultRow(m.name(), m.spec(), kernel, size, seed, finite ? Double.NaN : ridge.value(),
            finite ? "none" : ridge.kind().tag(),
            ridgeUsed, validAccuracy, Classification.accuracy(predicted, truth),
            Metrics.balancedAccuracy(predicted, truth, k), Metrics.macroAuc(scores, truth, k),
            binary ? Metrics.sensitivity(predicted, truth) : Double.NaN,
            binary ? Metrics.specificity(predicted, truth) : Double.NaN,
            probs == null ? Double.NaN : Metrics.logLikelihood(probs, truth, k),
            probs == null ? Double.NaN : Metrics.expectedCalibrationError(probs, truth, k),
            c.imageSize(), c.dataset(), seconds, kernelSeconds, predicted, scores, probs);
    }
}
