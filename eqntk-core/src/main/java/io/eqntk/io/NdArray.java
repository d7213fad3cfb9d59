package io.eqntk.io;

import io.eqntk.EqntkException;

import java.util.Arrays;

/**
 * A dense n-dimensional array of doubles in C (row-major) order.
 *
 * <p>The shape is copied on construction and by {@link #shape()}; the data array is shared, not copied
 * (it can be large): callers that pass an array in must not modify it afterwards.
 */
public final class NdArray {
    private final int[] shape;
    private final double[] data;

    /**
     * @param shape the dimensions (empty for a scalar)
     * @param data  the values in C order; its length must equal the product of the shape
     */
    public NdArray(int[] shape, double[] data) {
        if (shape == null || data == null) {
            throw new IllegalArgumentException("shape and data must not be null");
        }
        long n = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new EqntkException("array shape " + Arrays.toString(shape) + " has a negative dimension");
            }
            n *= d;
        }
        if (n != data.length) {
            throw new EqntkException("array shape " + Arrays.toString(shape) + " needs " + n
                    + " values but " + data.length + " were given");
        }
        this.shape = shape.clone();
        this.data = data;
    }

    /** A new array of the given shape filled with zeros. */
    public static NdArray zeros(int... shape) {
        long n = 1;
        for (int d : shape) {
            n *= d;
        }
        if (n > Integer.MAX_VALUE - 8) {
            throw new EqntkException("array shape " + Arrays.toString(shape) + " is too large");
        }
        return new NdArray(shape, new double[(int) n]);
    }

    /** A copy of the dimensions. */
    public int[] shape() {
        return shape.clone();
    }

    /** The size of dimension {@code axis}. */
    public int dim(int axis) {
        return shape[axis];
    }

    /** The values in C order (the backing array, not a copy). */
    public double[] data() {
        return data;
    }

    /** The number of elements. */
    public int size() {
        return data.length;
    }

    /** The number of dimensions. */
    public int rank() {
        return shape.length;
    }

    /** The value at a multi-index. */
    public double get(int... index) {
        return data[offset(index)];
    }

    private int offset(int[] index) {
        if (index.length != shape.length) {
            throw new IndexOutOfBoundsException("index of rank " + index.length + " for array of rank " + shape.length);
        }
        int off = 0;
        for (int i = 0; i < shape.length; i++) {
            if (index[i] < 0 || index[i] >= shape[i]) {
                throw new IndexOutOfBoundsException("index " + Arrays.toString(index) + " outside shape "
                        + Arrays.toString(shape));
            }
            off = off * shape[i] + index[i];
        }
        return off;
    }

    /** The same data viewed with another shape of the same size. */
    public NdArray reshape(int... newShape) {
        return new NdArray(newShape, data);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NdArray other && Arrays.equals(shape, other.shape) && Arrays.equals(data, other.data);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(shape) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "NdArray" + Arrays.toString(shape);
    }
}
