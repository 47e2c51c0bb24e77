package org.automixonnx.onnx;

/** A named, typed value of a graph: a graph input, an initializer or a node output. */
public record Value(String name, DType dtype, Shape shape) {
    public int rank() {
        return shape.rank();
    }

    public long dim(int i) {
        return shape.dim(i);
    }

    @Override
    public String toString() {
        return name + ":" + dtype.name().toLowerCase() + shape;
    }
}
