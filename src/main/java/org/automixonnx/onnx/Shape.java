package org.automixonnx.onnx;

import java.util.Arrays;

/**
 * A tensor shape. A dimension is either a known size (>= 0) or unknown (-1); an unknown dimension may
 * carry a symbolic name (e.g. "N" for the batch of an exported model) that is written to ONNX as dim_param.
 */
public final class Shape {
    public static final long UNKNOWN = -1;
    public static final Shape SCALAR = new Shape(new long[0], null);

    private final long[] dims;
    private final String[] params;

    private Shape(long[] dims, String[] params) {
        this.dims = dims;
        this.params = params;
    }

    public static Shape of(long... dims) {
        return new Shape(dims.clone(), null);
    }

    public static Shape of(int... dims) {
        long[] d = new long[dims.length];
        for (int i = 0; i < dims.length; i++) {
            d[i] = dims[i];
        }
        return new Shape(d, null);
    }

    /** A shape whose dimension i is symbolic when {@code params[i]} is non-null. */
    public static Shape symbolic(long[] dims, String[] params) {
        if (params != null && params.length != dims.length) {
            throw new IllegalArgumentException("params length differs from rank");
        }
        return new Shape(dims.clone(), params == null ? null : params.clone());
    }

    public int rank() {
        return dims.length;
    }

    public long dim(int i) {
        return dims[i < 0 ? i + dims.length : i];
    }

    public String param(int i) {
        return params == null ? null : params[i];
    }

    public long[] dims() {
        return dims.clone();
    }

    public boolean isStatic() {
        for (long d : dims) {
            if (d < 0) {
                return false;
            }
        }
        return true;
    }

    /** Number of elements; throws when a dimension is unknown. */
    public long numel() {
        long n = 1;
        for (long d : dims) {
            if (d < 0) {
                throw new OnnxException("shape " + this + " is not static");
            }
            n *= d;
        }
        return n;
    }

    public int[] toIntArray() {
        int[] out = new int[dims.length];
        for (int i = 0; i < dims.length; i++) {
            out[i] = Math.toIntExact(dims[i]);
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Shape s && Arrays.equals(dims, s.dims);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < dims.length; i++) {
            if (i > 0) {
                sb.append(',');
            }
            if (dims[i] >= 0) {
                sb.append(dims[i]);
            } else {
                sb.append(params != null && params[i] != null ? params[i] : "?");
            }
        }
        return sb.append(']').toString();
    }
}
