package org.automixonnx.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A constant tensor held on the Java heap (initializers, Constant nodes, checkpoint contents).
 * Data is kept as little-endian raw bytes, exactly as ONNX's {@code raw_data} stores it.
 */
public final class Tensor {
    private final DType dtype;
    private final Shape shape;
    private final ByteBuffer data;

    public Tensor(DType dtype, Shape shape, ByteBuffer data) {
        if (!shape.isStatic()) {
            throw new OnnxException("constant tensor needs a static shape, got " + shape);
        }
        long expected = shape.numel() * dtype.byteSize;
        if (data.remaining() != expected) {
            throw new OnnxException("tensor data has " + data.remaining() + " bytes, shape " + shape + " of "
                    + dtype + " needs " + expected);
        }
        this.dtype = dtype;
        this.shape = shape;
        this.data = data.slice().order(ByteOrder.LITTLE_ENDIAN);
    }

    public static Tensor ofFloats(Shape shape, float[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return new Tensor(DType.FLOAT, shape, b);
    }

    public static Tensor ofLongs(Shape shape, long[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        b.asLongBuffer().put(values);
        return new Tensor(DType.INT64, shape, b);
    }

    public static Tensor ofBools(Shape shape, boolean[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length);
        for (boolean v : values) {
            b.put((byte) (v ? 1 : 0));
        }
        b.flip();
        return new Tensor(DType.BOOL, shape, b);
    }

    public static Tensor scalar(float v) {
        return ofFloats(Shape.SCALAR, new float[] {v});
    }

    public static Tensor scalar(long v) {
        return ofLongs(Shape.SCALAR, new long[] {v});
    }

    /** A 1-D int64 tensor, the form ONNX wants for shapes, axes, pads and slice bounds. */
    public static Tensor vector(long... v) {
        return ofLongs(Shape.of(v.length), v);
    }

    public static Tensor zeros(DType dtype, Shape shape) {
        return new Tensor(dtype, shape, ByteBuffer.allocate(Math.toIntExact(shape.numel() * dtype.byteSize)));
    }

    public static Tensor filled(Shape shape, float value) {
        float[] v = new float[Math.toIntExact(shape.numel())];
        java.util.Arrays.fill(v, value);
        return ofFloats(shape, v);
    }

    public DType dtype() {
        return dtype;
    }

    public Shape shape() {
        return shape;
    }

    public long numel() {
        return shape.numel();
    }

    /** A read-only little-endian view of the raw bytes. */
    public ByteBuffer bytes() {
        return data.asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    public float[] floats() {
        requireType(DType.FLOAT);
        float[] out = new float[Math.toIntExact(numel())];
        bytes().asFloatBuffer().get(out);
        return out;
    }

    public long[] longs() {
        if (dtype == DType.INT32) {
            int[] tmp = new int[Math.toIntExact(numel())];
            bytes().asIntBuffer().get(tmp);
            long[] out = new long[tmp.length];
            for (int i = 0; i < tmp.length; i++) {
                out[i] = tmp[i];
            }
            return out;
        }
        requireType(DType.INT64);
        long[] out = new long[Math.toIntExact(numel())];
        bytes().asLongBuffer().get(out);
        return out;
    }

    /** Values converted to double, for any numeric type (used by constant folding of shape arguments). */
    public double[] asDoubles() {
        int n = Math.toIntExact(numel());
        double[] out = new double[n];
        ByteBuffer b = bytes();
        for (int i = 0; i < n; i++) {
            out[i] = switch (dtype) {
                case FLOAT -> b.getFloat(i * 4);
                case DOUBLE -> b.getDouble(i * 8);
                case INT64 -> b.getLong(i * 8);
                case INT32 -> b.getInt(i * 4);
                case UINT8 -> b.get(i) & 0xff;
                case BOOL -> b.get(i) != 0 ? 1 : 0;
            };
        }
        return out;
    }

    private void requireType(DType t) {
        if (dtype != t) {
            throw new OnnxException("tensor is " + dtype + ", not " + t);
        }
    }

    @Override
    public String toString() {
        return "Tensor(" + dtype + shape + ")";
    }
}
