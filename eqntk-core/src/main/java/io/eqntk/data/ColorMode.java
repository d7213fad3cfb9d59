package io.eqntk.data;

/** How loaded images are converted to channels. */
public enum ColorMode {
    /** Three channels; gray images are replicated into R, G and B. */
    RGB,
    /** One channel; colour images are converted with ITU-R BT.601 luma (0.299 R + 0.587 G + 0.114 B). */
    GRAYSCALE,
    /**
     * The source's own channels (1 for gray, 3 for colour; alpha is dropped). When a dataset mixes gray and
     * colour images, the gray ones are replicated to RGB so that all images share three channels.
     */
    KEEP
}
