package io.eqntk.data;

import io.eqntk.EqntkException;

import java.util.List;

/**
 * A named dataset with train, valid and test splits sharing one list of class names and one image shape.
 * {@link #notes()} records how the splits were made (for example which were carved from train).
 */
public final class Dataset {
    public static final String TRAIN = "train";
    public static final String VALID = "valid";
    public static final String TEST = "test";

    private final String name;
    private final Images train;
    private final Images valid;
    private final Images test;
    private final List<String> classNames;
    private final List<String> notes;
    private final boolean validCarved;

    public Dataset(String name, Images train, Images valid, Images test, List<String> classNames, List<String> notes) {
        this(name, train, valid, test, classNames, notes, false);
    }

    /** @param validCarved the validation images were carved from the source's training images (it has no split) */
    public Dataset(String name, Images train, Images valid, Images test, List<String> classNames, List<String> notes,
                   boolean validCarved) {
        this.validCarved = validCarved;
        this.name = name;
        this.train = train;
        this.valid = valid;
        this.test = test;
        this.classNames = List.copyOf(classNames);
        this.notes = List.copyOf(notes);
        for (Images s : List.of(train, valid, test)) {
            if (!s.classNames().equals(this.classNames)) {
                throw new EqntkException("dataset " + name + ": splits have different class names "
                        + s.classNames() + " vs " + this.classNames);
            }
            if (s.height() != train.height() || s.width() != train.width() || s.channels() != train.channels()) {
                throw new EqntkException("dataset " + name + ": splits have different image shapes");
            }
        }
    }

    public String name() {
        return name;
    }

    public Images train() {
        return train;
    }

    public Images valid() {
        return valid;
    }

    public Images test() {
        return test;
    }

    /** The split called "train", "valid" or "test". */
    public Images split(String split) {
        return switch (split) {
            case TRAIN -> train;
            case VALID -> valid;
            case TEST -> test;
            default -> throw new EqntkException("unknown split '" + split + "' (use train, valid or test)");
        };
    }

    public List<String> classNames() {
        return classNames;
    }

    public List<String> notes() {
        return notes;
    }

    /** True when the source has no validation split and the validation images were carved from its training images. */
    public boolean validCarved() {
        return validCarved;
    }

    /** The same dataset with other images (for example after preprocessing). */
    public Dataset withSplits(Images newTrain, Images newValid, Images newTest) {
        return new Dataset(name, newTrain, newValid, newTest, classNames, notes, validCarved);
    }

    @Override
    public String toString() {
        return "Dataset[" + name + ": train " + train.count() + ", valid " + valid.count() + ", test " + test.count()
                + ", " + train.height() + "x" + train.width() + "x" + train.channels() + ", classes " + classNames
                + "]";
    }
}
