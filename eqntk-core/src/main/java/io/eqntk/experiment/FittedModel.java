package io.eqntk.experiment;

import io.eqntk.EqntkException;
import io.eqntk.arch.Architecture;
import io.eqntk.data.ColorMode;
import io.eqntk.data.Images;
import io.eqntk.data.Standardizer;
import io.eqntk.io.AtomicFiles;
import io.eqntk.io.NdArray;
import io.eqntk.io.Npy;
import io.eqntk.kernel.ImageBatch;
import io.eqntk.kernel.KernelMatrices;
import io.eqntk.kernel.ProgressListener;
import io.eqntk.predict.Classification;
import io.eqntk.predict.GaussianPosterior;
import io.eqntk.predict.KernelRegression;
import io.eqntk.predict.Metrics;
import io.eqntk.predict.Ridge;
import io.eqntk.predict.RidgeSelection;
import io.eqntk.store.KernelKey;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;

/**
 * A kernel classifier fitted on a training set and kept on disk, for applying it to new images: the clinical
 * workflow behind {@code eqntk fit} and {@code eqntk predict}.
 *
 * <p>Fitting follows {@link ExperimentRunner} step for step, so that a model fitted with the settings of an
 * experiment (size n, seed s) predicts what the experiment predicted: the same preprocessing (centre crop, area
 * resize, colour mode, per-channel standardisation with the statistics of the whole training split), the same
 * class-balanced training subset (the first n images of seed s's ordering, {@link TrainSubsets}), the ridge chosen
 * on the validation split by {@link RidgeSelection}, kernel regression at t = infinity, and class probabilities
 * from the Gaussian posterior ({@link GaussianPosterior}; with the NTK this reads the NTK as a GP covariance,
 * which is not the Bayesian posterior of the trained network).
 *
 * <p>A model folder holds {@code model.properties} (architecture, kernel, preprocessing and its statistics,
 * classes, ridge, posterior amplitude, the training images' SHA-256 fingerprint), {@code train_images.npy} (the
 * standardised training images), {@code train_labels.npy}, {@code train_ids.txt}, {@code cholesky.npy} (the lower
 * Cholesky factor of the regularised Gram matrix), {@code alpha.npy} (its solve against the targets) and
 * {@code manifest.properties} (format, eqntk version, SHA-256 of every other file). {@link #load} refuses a folder
 * from another eqntk version (the kernels' last bits may differ) or with any file missing or changed.
 */
public final class FittedModel {
    /** The folder format written and read. */
    public static final String FORMAT = "eqntk-model-1";
    static final String MANIFEST = "manifest.properties";
    static final List<String> FILES = List.of("model.properties", "train_images.npy", "train_labels.npy",
        "train_ids.txt", "cholesky.npy", "alpha.npy");

    private final Map<String, String> meta;
    private final Architecture arch;
    private final KernelKind kernel;
    private final List<String> classNames;
    private final Standardizer standardizer;
    private final ImageBatch train;
    private final int[] trainLabels;
    private final List<String> trainIds;
    private final GaussianPosterior posterior;

    private FittedModel(Map<String, String> meta, ImageBatch train, int[] trainLabels, List<String> trainIds,
                        GaussianPosterior posterior) {
        this.meta = Map.copyOf(meta);
        this.arch = Architecture.parse(meta.get("architecture"));
        this.kernel = KernelKind.parseList(meta.get("kernel")).get(0);
        int k = Integer.parseInt(meta.get("classes"));
        List<String> names = new ArrayList<>();
        for (int c = 0; c < k; c++) {
            names.add(meta.get("class." + c));
        }
        this.classNames = List.copyOf(names);
        this.standardizer = new Standardizer(doubles(meta.get("standardize.mean")), doubles(meta.get("standardize.std")));
        this.train = train;
        this.trainLabels = trainLabels;
        this.trainIds = List.copyOf(trainIds);
        this.posterior = posterior;
    }

    /**
     * Fits one model and kernel of an experiment's settings on the training subset of a size and seed.
     *
     * @param c         the settings: the first model and first kernel are fitted; ridges, data options as given
     * @param trainSize the number of training images (0 = the whole training split)
     * @param seed      the seed of the class-balanced training subset
     */
    public static FittedModel fit(ExperimentConfig c, ExperimentData data, int trainSize, int seed,
                                  KernelSource kernels, ProgressListener progress, Consumer<String> warn) {
        return fit(c, data, trainSize, seed, AUTO_FOLDS, kernels, progress, warn);
    }

    /** {@code folds} for {@link #fit}: cross-validate when the validation split was carved, else use it. */
    public static final int AUTO_FOLDS = -1;
    /** Folds of the automatic cross-validation. */
    public static final int DEFAULT_FOLDS = 5;

    /**
     * {@link #fit} choosing the ridge on the validation split ({@code folds} 0) or by {@code folds}-fold
     * cross-validation on the training images ({@code folds >= 2}). With {@link #AUTO_FOLDS}, a dataset whose
     * validation images were carved from its training split gets them back in the training pool and
     * {@value #DEFAULT_FOLDS}-fold cross-validation; one with a validation split of its own uses it.
     */
    public static FittedModel fit(ExperimentConfig c, ExperimentData data, int trainSize, int seed, int folds,
                                  KernelSource kernels, ProgressListener progress, Consumer<String> warn) {
        if (folds != AUTO_FOLDS && folds != 0 && folds < 2) {
            throw new EqntkException("--cv must be 0 (use the validation split) or at least 2 folds, got " + folds);
        }
        boolean cv = folds >= 2 || (folds == AUTO_FOLDS && data.validCarved());
        int nFolds = folds >= 2 ? folds : DEFAULT_FOLDS;
        ModelSpec m = c.models().get(0);
        KernelKind kind = c.kernels().get(0);
        try {
            m.architecture().validate(data.height(), data.width(), data.channels());
        } catch (EqntkException e) {
            throw new EqntkException("model " + m.name() + " does not fit " + data.height() + "x" + data.width()
                + "x" + data.channels() + " images: " + e.getMessage(), e);
        }
        int k = data.numClasses();
        // carved validation images go back into the pool when cross-validation replaces them
        Images pool0 = cv && data.validCarved() ? data.train().concat(data.valid()) : data.train();
        int n = trainSize == 0 ? pool0.count() : trainSize;
        if (seed < 0) {
            throw new EqntkException("--seed must not be negative, got " + seed);
        }
        if (cv && nFolds > n) {
            throw new EqntkException("--cv " + nFolds + " needs at least " + nFolds + " training images, got " + n);
        }
        TrainSubsets subsets = TrainSubsets.draw(pool0.labels(), k, List.of(n), seed + 1);
        int[] pool = subsets.pool();
        int[] pos = subsets.subset(n, seed);
        int[] rows = new int[n];
        for (int i = 0; i < n; i++) {
            rows[i] = pool[pos[i]];
        }
        Images tr = pool0.subset(rows);
        ImageBatch x = new ImageBatch(tr.data(), n, tr.height(), tr.width(), tr.channels());
        Images valid = data.valid();
        ProgressListener p = progress == null ? ProgressListener.NONE : progress;
        KernelMatrices gram = kernels.gram(m.architecture(), x, p);
        double[] kTrain = kind == KernelKind.NTK ? gram.ntk() : gram.nngp();
        RidgeSelection.Result sel;
        if (cv) {
            sel = RidgeSelection.crossValidate(c.ridges(), kTrain, n, tr.labels(), k, nFolds, seed, warn);
        } else {
            KernelMatrices cross = kernels.cross(m.architecture(), ImageBatch.of(valid), x, ProgressListener.NONE);
            double[] kValid = kind == KernelKind.NTK ? cross.ntk() : cross.nngp();
            sel = RidgeSelection.select(c.ridges(), kTrain, n, kValid, valid.count(), tr.labels(), valid.labels(), k,
                warn);
        }
        KernelRegression reg = new KernelRegression(kTrain, n, sel.best(), warn);
        GaussianPosterior gp = GaussianPosterior.of(reg, Classification.targets(tr.labels(), k), k);

        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", FORMAT);
        meta.put("eqntk_version", KernelKey.eqntkVersion());
        meta.put("name", m.name());
        meta.put("architecture", m.spec());
        meta.put("kernel", kind.label());
        meta.put("image_size", Integer.toString(c.imageSize()));
        meta.put("crop_center", Integer.toString(c.cropCenter()));
        meta.put("color", data.color().name());
        meta.put("channels", Integer.toString(data.channels()));
        meta.put("classes", Integer.toString(k));
        for (int i = 0; i < k; i++) {
            meta.put("class." + i, data.train().classNames().get(i));
        }
        meta.put("standardize.mean", join(data.standardizer().mean()));
        meta.put("standardize.std", join(data.standardizer().std()));
        meta.put("ridge", sel.best().toString());
        meta.put("ridge_used", Double.toString(reg.ridgeUsed()));
        meta.put("posterior_amplitude", Double.toString(gp.amplitude()));
        meta.put("ridge_selection", cv ? nFolds + "-fold cross-validation on the training images"
            : "validation split");
        meta.put("valid_accuracy", Double.toString(sel.bestAccuracy()));
        meta.put("valid_images", Integer.toString(cv ? n : valid.count()));
        meta.put("train_size", Integer.toString(n));
        meta.put("seed", Integer.toString(seed));
        meta.put("dataset", c.dataset());
        meta.put("data_seed", Long.toString(c.dataSeed()));
        meta.put("pool_size", Integer.toString(c.poolSize()));
        meta.put("valid_size", Integer.toString(c.validSize()));
        meta.put("train_fingerprint", KernelKey.fingerprint(x));
        return new FittedModel(meta, x, tr.labels(), tr.ids(), gp);
    }

    // ------------------------------------------------------------------------------------------------ saving

    /** Writes the model folder (created; existing model files are replaced, each atomically, manifest last). */
    public void save(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new EqntkException("cannot create model folder " + dir + ": " + e.getMessage(), e);
        }
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("model.properties", properties(meta));
        int n = train.count();
        int k = classNames.size();
        files.put("train_images.npy", npy(new NdArray(new int[] {n, train.height(), train.width(), train.channels()},
            train.data())));
        double[] labels = new double[n];
        for (int i = 0; i < n; i++) {
            labels[i] = trainLabels[i];
        }
        files.put("train_labels.npy", npy(new NdArray(new int[] {n}, labels)));
        files.put("train_ids.txt", (String.join("\n", trainIds) + "\n").getBytes(StandardCharsets.UTF_8));
        files.put("cholesky.npy", npy(new NdArray(new int[] {n, n}, posterior.choleskyFactor())));
        files.put("alpha.npy", npy(new NdArray(new int[] {n, k}, posterior.alpha())));
        Map<String, String> manifest = new LinkedHashMap<>();
        manifest.put("format", FORMAT);
        manifest.put("eqntk_version", meta.get("eqntk_version"));
        for (Map.Entry<String, byte[]> e : files.entrySet()) {
            AtomicFiles.writeBytes(dir.resolve(e.getKey()), e.getValue());
            manifest.put("sha256." + e.getKey(), sha256(e.getValue()));
        }
        AtomicFiles.writeBytes(dir.resolve(MANIFEST), properties(manifest));
    }

    /**
     * Reads a model folder, refusing (with one line naming the reason) a folder of another format or eqntk
     * version, or with a missing or changed file.
     */
    public static FittedModel load(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new EqntkException("model folder not found: " + dir);
        }
        Map<String, String> manifest = readProperties(read(dir, MANIFEST), dir.resolve(MANIFEST));
        if (!FORMAT.equals(manifest.get("format"))) {
            throw new EqntkException("model " + dir + " has format '" + manifest.get("format") + "', expected "
                + FORMAT + " (damaged, or not an eqntk model folder)");
        }
        String version = KernelKey.eqntkVersion();
        if (!version.equals(manifest.get("eqntk_version"))) {
            throw new EqntkException("model " + dir + " was fitted by eqntk " + manifest.get("eqntk_version")
                + ", this is " + version + ": fit it again with this version");
        }
        Map<String, byte[]> bytes = new LinkedHashMap<>();
        for (String f : FILES) {
            byte[] b = read(dir, f);
            if (!sha256(b).equals(manifest.get("sha256." + f))) {
                throw new EqntkException("model " + dir + ": " + f + " does not match its checksum in " + MANIFEST
                    + " (the file is damaged or was changed)");
            }
            bytes.put(f, b);
        }
        try {
            Map<String, String> meta = readProperties(bytes.get("model.properties"), dir.resolve("model.properties"));
            if (!version.equals(meta.get("eqntk_version"))) {
                throw new EqntkException("model " + dir + ": model.properties names eqntk " + meta.get("eqntk_version")
                    + ", this is " + version);
            }
            NdArray x = Npy.read(new java.io.ByteArrayInputStream(bytes.get("train_images.npy")), "train_images.npy");
            int[] s = x.shape();
            ImageBatch train = new ImageBatch(x.data(), s[0], s[1], s[2], s[3]);
            double[] l = Npy.read(new java.io.ByteArrayInputStream(bytes.get("train_labels.npy")), "train_labels.npy")
                .data();
            int[] labels = new int[l.length];
            for (int i = 0; i < l.length; i++) {
                labels[i] = (int) l[i];
            }
            List<String> ids = new String(bytes.get("train_ids.txt"), StandardCharsets.UTF_8).lines().toList();
            double[] chol = Npy.read(new java.io.ByteArrayInputStream(bytes.get("cholesky.npy")), "cholesky.npy").data();
            double[] alpha = Npy.read(new java.io.ByteArrayInputStream(bytes.get("alpha.npy")), "alpha.npy").data();
            int k = Integer.parseInt(meta.get("classes"));
            GaussianPosterior gp = new GaussianPosterior(chol, alpha, train.count(), k,
                Double.parseDouble(meta.get("posterior_amplitude")));
            return new FittedModel(meta, train, labels, ids, gp);
        } catch (IOException | RuntimeException e) {
            if (e instanceof EqntkException ee) {
                throw ee;
            }
            throw new EqntkException("model " + dir + " is damaged: " + e.getMessage(), e);
        }
    }

    // ------------------------------------------------------------------------------------------------ predicting

    /**
     * Predictions for images, with metrics when the images are labelled.
     *
     * @param ids           the images, in order
     * @param labels        their classes in the model's class list, or null
     * @param predicted     the class with the largest regression output
     * @param scores        the regression outputs (posterior mean), n x k
     * @param probabilities class probabilities, n x k
     * @param entropy       the predictive entropy of the probabilities (nats; 0 = certain, log k = uniform)
     * @param posteriorSd   the latent posterior standard deviation (equal for all classes)
     */
    public record Prediction(List<String> ids, int[] labels, int[] predicted, double[] scores, double[] probabilities,
                             double[] entropy, double[] posteriorSd) {
        /** Accuracy, balanced accuracy, macro AUC, log-likelihood, ECE (and sensitivity, specificity for two classes). */
        public Map<String, Double> metrics(int k) {
            if (labels == null) {
                throw new EqntkException("the images have no labels: no metrics");
            }
            Map<String, Double> m = new LinkedHashMap<>();
            m.put("accuracy_fraction", Classification.accuracy(predicted, labels));
            m.put("balanced_accuracy_fraction", Metrics.balancedAccuracy(predicted, labels, k));
            m.put("auc", Metrics.macroAuc(scores, labels, k));
            if (k == 2) {
                m.put("sensitivity_fraction", Metrics.sensitivity(predicted, labels));
                m.put("specificity_fraction", Metrics.specificity(predicted, labels));
            }
            m.put("log_likelihood", Metrics.logLikelihood(probabilities, labels, k));
            m.put("ece_fraction", Metrics.expectedCalibrationError(probabilities, labels, k));
            return m;
        }
    }

    /**
     * Applies the model to raw images (as loaded with this model's {@link #loadOptions() options}: cropped,
     * resized, colour-converted, not standardised). Labels, when present, are mapped to this model's classes by
     * name; a class the model was not fitted on is an error.
     */
    public Prediction predict(Images raw, KernelSource kernels, ProgressListener progress) {
        int size = imageSize();
        if (raw.height() != size || raw.width() != size) {
            throw new EqntkException("images are " + raw.height() + "x" + raw.width() + " but the model needs "
                + size + "x" + size);
        }
        if (raw.channels() != train.channels()) {
            throw new EqntkException("images have " + raw.channels() + " channel" + (raw.channels() == 1 ? "" : "s")
                + " but the model was fitted on " + train.channels() + "-channel images");
        }
        int[] labels = raw.hasLabels() ? mapLabels(raw) : null;
        Images z = standardizer.apply(raw);
        int n = z.count();
        ImageBatch zb = new ImageBatch(z.data(), n, size, size, z.channels());
        KernelMatrices cross = kernels.cross(arch, zb, train, progress == null ? ProgressListener.NONE : progress);
        double[][] self = kernels.self(arch, zb);
        boolean ntk = kernel == KernelKind.NTK;
        double[] kzx = ntk ? cross.ntk() : cross.nngp();
        double[] kzz = ntk ? self[1] : self[0];
        int k = classNames.size();
        double[] mean = posterior.mean(kzx, n);
        double[] var = posterior.variance(kzz, kzx, n);
        double[] probs = GaussianPosterior.probabilities(mean, var, n, k);
        double[] entropy = new double[n];
        double[] sd = new double[n];
        for (int i = 0; i < n; i++) {
            double h = 0;
            for (int c = 0; c < k; c++) {
                double q = probs[i * k + c];
                h -= q > 0 ? q * Math.log(q) : 0;
            }
            entropy[i] = h;
            sd[i] = Math.sqrt(var[i]);
        }
        return new Prediction(raw.ids(), labels, Classification.argmax(mean, n, k), mean, probs, entropy, sd);
    }

    private int[] mapLabels(Images raw) {
        int[] out = new int[raw.count()];
        int[] l = raw.labels();
        for (int i = 0; i < out.length; i++) {
            String name = raw.classNames().get(l[i]);
            int c = classNames.indexOf(name);
            if (c < 0) {
                throw new EqntkException("image " + raw.ids().get(i) + " has label '" + name + "', which the model"
                    + " was not fitted on (its classes: " + String.join(", ", classNames) + ")");
            }
            out[i] = c;
        }
        return out;
    }

    /** Load options that prepare new images as the training images were prepared (before standardisation). */
    public io.eqntk.data.LoadOptions loadOptions() {
        return io.eqntk.data.LoadOptions.defaults().withSize(imageSize()).withCropCenter(cropCenter())
            .withColorMode(ColorMode.valueOf(meta.get("color")));
    }

    public int imageSize() {
        return Integer.parseInt(meta.get("image_size"));
    }

    public int cropCenter() {
        return Integer.parseInt(meta.get("crop_center"));
    }

    public int channels() {
        return train.channels();
    }

    public List<String> classNames() {
        return classNames;
    }

    public Architecture architecture() {
        return arch;
    }

    public KernelKind kernel() {
        return kernel;
    }

    /** The model's settings as written to model.properties. */
    public Map<String, String> metadata() {
        return meta;
    }

    public int trainSize() {
        return train.count();
    }

    // ------------------------------------------------------------------------------------------------ files

    private static byte[] read(Path dir, String name) {
        Path p = dir.resolve(name);
        try {
            return Files.readAllBytes(p);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new EqntkException("model " + dir + " is incomplete: " + name + " is missing", e);
        } catch (IOException e) {
            throw new EqntkException("cannot read " + p + ": " + e.getMessage(), e);
        }
    }

    private static byte[] npy(NdArray a) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            Npy.write(out, a);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }

    /** key=value lines in the given order (java.util.Properties escaping, no date comment). */
    private static byte[] properties(Map<String, String> m) {
        StringBuilder s = new StringBuilder();
        for (Map.Entry<String, String> e : m.entrySet()) {
            Properties one = new Properties();
            one.setProperty(e.getKey(), e.getValue());
            java.io.StringWriter w = new java.io.StringWriter();
            try {
                one.store(w, null);
            } catch (IOException ex) {
                throw new IllegalStateException(ex);
            }
            w.toString().lines().filter(line -> !line.startsWith("#")).forEach(line -> s.append(line).append('\n'));
        }
        return s.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    private static Map<String, String> readProperties(byte[] b, Path where) {
        Properties p = new Properties();
        try {
            p.load(new StringReader(new String(b, StandardCharsets.ISO_8859_1)));
        } catch (IOException | IllegalArgumentException e) {
            throw new EqntkException(where + " is damaged: " + e.getMessage(), e);
        }
        Map<String, String> m = new LinkedHashMap<>();
        for (String key : p.stringPropertyNames()) {
            m.put(key, p.getProperty(key));
        }
        return m;
    }

    private static String join(double[] v) {
        StringBuilder s = new StringBuilder();
        for (double d : v) {
            s.append(s.length() == 0 ? "" : ",").append(Double.toString(d));
        }
        return s.toString();
    }

    private static double[] doubles(String s) {
        if (s == null) {
            throw new EqntkException("model.properties lacks the standardisation statistics");
        }
        return Arrays.stream(s.split(",")).mapToDouble(Double::parseDouble).toArray();
    }

    static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s (%s, %s kernel, %d training images, %d classes, ridge %s)",
            meta.get("name"), meta.get("architecture"), kernel.label(), train.count(), classNames.size(),
            meta.get("ridge"));
    }
}
