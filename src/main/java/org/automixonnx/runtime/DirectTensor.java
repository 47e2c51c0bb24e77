package org.automixonnx.runtime;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import org.automixonnx.onnx.DType;
import org.automixonnx.onnx.Shape;
import org.automixonnx.onnx.Tensor;

/**
 * A tensor whose data lives in a direct, native-order {@link ByteBuffer} that ONNX Runtime can read and
 * write in place. State, batch inputs, hyper-parameters and pinned outputs of the train-step runner are
 * all held this way, so a step moves no data through the Java heap.
 */
public final class DirectTensor {
    private final String name;
    private final DType dtype;
    private final Shape shape;
    private final ByteBuffer data;

    public DirectTensor(String name, DType dtype, Shape shape) {
        if (!shape.isStatic()) {
            throw new IllegalArgumentException("'" + name + "' needs a static shape to get a buffer, has " + shape);
        }
        requireLittleEndianHost();
        this.name = name;
        this.dtype = dtype;
        this.shape = shape;
        this.data = ByteBuffer.allocateDirect(Math.toIntExact(shape.numel() * dtype.byteSize))
                .order(ByteOrder.nativeOrder());
    }

    /** A new buffer holding a copy of {@code t}. */
    public static DirectTensor copyOf(String name, Tensor t) {
        DirectTensor d = new DirectTensor(name, t.dtype(), t.shape());
        d.put(t);
        return d;
    }

    public String name() {
        return name;
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

    public long byteSize() {
        return data.capacity();
    }

    /** The raw bytes (native order), positioned at 0; a fresh view, so callers may move its position freely. */
    public ByteBuffer bytes() {
        return data.duplicate().order(ByteOrder.nativeOrder()).clear();
    }

    /** A float view of the data (a fresh view positioned at 0); writes go straight to the buffer. */
    public FloatBuffer floats() {
        require(DType.FLOAT);
        return bytes().asFloatBuffer();
    }

    /** An int64 view of the data (a fresh view positioned at 0). */
    public LongBuffer longs() {
        require(DType.INT64);
        return bytes().asLongBuffer();
    }

    /** Element 0 converted to double: how scalar outputs (loss, counts) and hyper-parameters are read. */
    public double scalarValue() {
        return switch (dtype) {
            case FLOAT -> data.getFloat(0);
            case DOUBLE -> data.getDouble(0);
            case INT64 -> data.getLong(0);
            case INT32 -> data.getInt(0);
            case UINT8 -> data.get(0) & 0xff;
            case BOOL -> data.get(0) != 0 ? 1 : 0;
        };
    }

    /** Sets every element to {@code v} converted to this tensor's type (hyper-parameters are scalars). */
    public void fill(double v) {
        int n = Math.toIntExact(numel());
        for (int i = 0; i < n; i++) {
            switch (dtype) {
                case FLOAT -> data.putFloat(i * 4, (float) v);
                case DOUBLE -> data.putDouble(i * 8, v);
                case INT64 -> data.putLong(i * 8, (long) v);
                case INT32 -> data.putInt(i * 4, (int) v);
                case UINT8 -> data.put(i, (byte) v);
                case BOOL -> data.put(i, (byte) (v != 0 ? 1 : 0));
            }
        }
    }

    /** Copies a heap tensor of the same type and shape into this buffer. */
    public void put(Tensor t) {
        if (t.dtype() != dtype || !t.shape().equals(shape)) {
            throw new IllegalArgumentException("cannot store " + t.dtype() + t.shape() + " into '" + name + "' ("
                    + dtype + shape + ")");
        }
        bytes().put(t.bytes());
    }

    /** Copies this buffer's contents to a new heap tensor. */
    public Tensor toTensor() {
        ByteBuffer copy = ByteBuffer.allocate(data.capacity()).order(ByteOrder.LITTLE_ENDIAN);
        copy.put(bytes()).flip();
        return new Tensor(dtype, shape, copy);
    }

    /** Copies the contents of another buffer of the same type and shape. */
    public void copyFrom(DirectTensor src) {
        if (src.dtype != dtype || !src.shape.equals(shape)) {
            throw new IllegalArgumentException("cannot copy '" + src.name + "' (" + src.dtype + src.shape
                    + ") into '" + name + "' (" + dtype + shape + ")");
        }
        bytes().put(src.bytes());
    }

    /**
     * An ORT tensor over this very buffer (no copy): ORT reads inputs from it and writes pinned outputs
     * into it. The caller closes it; the memory stays owned by this object.
     */
    public OnnxTensor wrapForOrt() throws OrtException {
        long[] dims = shape.dims();
        var env = SessionFactory.env();
        return switch (dtype) {
            case FLOAT -> OnnxTensor.createTensor(env, bytes().asFloatBuffer(), dims);
            case DOUBLE -> OnnxTensor.createTensor(env, bytes().asDoubleBuffer(), dims);
            case INT64 -> OnnxTensor.createTensor(env, bytes().asLongBuffer(), dims);
            case INT32 -> OnnxTensor.createTensor(env, bytes().asIntBuffer(), dims);
            case UINT8 -> OnnxTensor.createTensor(env, bytes(), dims, OnnxJavaType.UINT8);
            case BOOL -> OnnxTensor.createTensor(env, bytes(), dims, OnnxJavaType.BOOL);
        };
    }

    private void require(DType t) {
        if (dtype != t) {
            throw new IllegalArgumentException("'" + name + "' is " + dtype + ", not " + t);
        }
    }

    /** Heap tensors are little-endian (ONNX raw_data); direct buffers are native: the two must agree. */
    private static void requireLittleEndianHost() {
        if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
            throw new UnsupportedOperationException("big-endian hosts are not supported");
        }
    }

    @Override
    public String toString() {
        return "DirectTensor(" + name + ":" + dtype + shape + ")";
    }
}
