package io.eqntk.data;

import io.eqntk.EqntkException;

/**
 * Immutable options for loading a dataset; build from {@link #defaults()} with the {@code with...} methods.
 *
 * <ul>
 *   <li>{@code size}: resize every image to size x size by exact area averaging
 *       ({@link Preprocess#resizeArea}); 0 keeps the original size, and then all images must share one size.</li>
 *   <li>{@code colorMode}: {@link ColorMode#KEEP} by default.</li>
 *   <li>{@code seed}: seeds carving of missing splits and the choice of capped subsets.</li>
 *   <li>caps per split (0 = no cap): a capped split is a seeded, class-stratified sample of that many
 *       images (class proportions kept, largest-remainder rounding), chosen before decoding.</li>
 *   <li>{@code cropCenter}: the centre N x N pixels of every image are kept before resizing (0 = all).</li>
 *   <li>{@code scaleToUnit}: divide 8-bit pixel values by 255 so that pixels lie in [0,1] (default true);
 *       when false, pixels keep the 0..255 range.</li>
 *   <li>{@code validFraction}, {@code testFraction}: fractions carved (stratified by class, seeded) from the
 *       training split when the source lacks a validation or test split. Defaults 0.15 each: a source
 *       without any split becomes 70/15/15; a source with train and test only gives 15% of train to valid.</li>
 * </ul>
 */
public final class LoadOptions {
    private final int size;
    private final ColorMode colorMode;
    private final long seed;
    private final int maxTrain;
    private final int maxValid;
    private final int maxTest;
    private final boolean scaleToUnit;
    private final double validFraction;
    private final double testFraction;
    private final int cropCenter;

    private LoadOptions(int size, ColorMode colorMode, long seed, int maxTrain, int maxValid, int maxTest,
                        boolean scaleToUnit, double validFraction, double testFraction, int cropCenter) {
        if (cropCenter < 0) {
            throw new EqntkException("--crop-center must be >= 0 (0 = no crop), got " + cropCenter);
        }
        if (size < 0) {
            throw new EqntkException("image size must be >= 0 (0 keeps the original size), got " + size);
        }
        if (maxTrain < 0 || maxValid < 0 || maxTest < 0) {
            throw new EqntkException("split caps must be >= 0 (0 = no cap)");
        }
        if (!(validFraction > 0 && testFraction > 0 && validFraction + testFraction < 1)) {
            throw new EqntkException("carving fractions must be positive with valid + test < 1, got "
                    + validFraction + " and " + testFraction);
        }
        if (colorMode == null) {
            throw new EqntkException("color mode must not be null");
        }
        this.size = size;
        this.colorMode = colorMode;
        this.seed = seed;
        this.maxTrain = maxTrain;
        this.maxValid = maxValid;
        this.maxTest = maxTest;
        this.scaleToUnit = scaleToUnit;
        this.validFraction = validFraction;
        this.testFraction = testFraction;
        this.cropCenter = cropCenter;
    }

    /** Original size, {@link ColorMode#KEEP}, seed 0, no caps, pixels in [0,1], 15%/15% carving. */
    public static LoadOptions defaults() {
        return new LoadOptions(0, ColorMode.KEEP, 0L, 0, 0, 0, true, 0.15, 0.15, 0);
    }

    public LoadOptions withSize(int n) {
        return new LoadOptions(n, colorMode, seed, maxTrain, maxValid, maxTest, scaleToUnit, validFraction,
            testFraction, cropCenter);
    }

    public LoadOptions withColorMode(ColorMode mode) {
        return new LoadOptions(size, mode, seed, maxTrain, maxValid, maxTest, scaleToUnit, validFraction,
            testFraction, cropCenter);
    }

    public LoadOptions withSeed(long s) {
        return new LoadOptions(size, colorMode, s, maxTrain, maxValid, maxTest, scaleToUnit, validFraction,
            testFraction, cropCenter);
    }

    /** Caps the number of images per split (0 = no cap). */
    public LoadOptions withCaps(int train, int valid, int test) {
        return new LoadOptions(size, colorMode, seed, train, valid, test, scaleToUnit, validFraction,
            testFraction, cropCenter);
    }

    public LoadOptions withScaleToUnit(boolean scale) {
        return new LoadOptions(size, colorMode, seed, maxTrain, maxValid, maxTest, scale, validFraction,
            testFraction, cropCenter);
    }

    public LoadOptions withCarveFractions(double valid, double test) {
        return new LoadOptions(size, colorMode, seed, maxTrain, maxValid, maxTest, scaleToUnit, valid, test,
            cropCenter);
    }

    /**
     * Crops the centre N x N pixels of every image before resizing (0 = no crop). PCam's label depends only on
     * the centre 32 x 32 of each 96 x 96 patch: {@code withCropCenter(32)} keeps exactly that region (for an odd
     * margin the extra row and column are dropped at the bottom and right).
     */
    public LoadOptions withCropCenter(int n) {
        return new LoadOptions(size, colorMode, seed, maxTrain, maxValid, maxTest, scaleToUnit, validFraction,
            testFraction, n);
    }

    public int cropCenter() {
        return cropCenter;
    }

    public int size() {
        return size;
    }

    public ColorMode colorMode() {
        return colorMode;
    }

    public long seed() {
        return seed;
    }

    public int maxTrain() {
        return maxTrain;
    }

    public int maxValid() {
        return maxValid;
    }

    public int maxTest() {
        return maxTest;
    }

    /** The cap of a split ("train", "valid" or "test"); 0 = no cap. */
    public int cap(String split) {
        return switch (split) {
            case Dataset.TRAIN -> maxTrain;
            case Dataset.VALID -> maxValid;
            case Dataset.TEST -> maxTest;
            default -> throw new IllegalArgumentException(split);
        };
    }

    public boolean scaleToUnit() {
        return scaleToUnit;
    }

    public double validFraction() {
        return validFraction;
    }

    public double testFraction() {
        return testFraction;
    }

    @Override
    public String toString() {
        return "LoadOptions[size=" + size + ", color=" + colorMode + ", seed=" + seed + ", caps=" + maxTrain + "/"
                + maxValid + "/" + maxTest + ", scaleToUnit=" + scaleToUnit + ", carve=" + validFraction + "/"
                + testFraction + ", crop=" + cropCenter + "]";
    }
}
