package io.eqntk.model;

/** Spatial padding of a convolution (stride 1). */
public enum Padding {
    /** Output size n; reads outside the image as zero. */
    SAME,
    /** Output size n - q + 1; output position t reads input t + (q-1)/2 + b. */
    VALID,
    /** Output size n; indices taken modulo n. */
    CIRCULAR;

    /** Output length along one axis for input length n and odd filter size q. */
    public int outputSize(int n, int q) {
        return this == VALID ? n - q + 1 : n;
    }

    /** Offset added to an output coordinate to reach the filter centre in the input. */
    public int offset(int q) {
        return this == VALID ? (q - 1) / 2 : 0;
    }
}
