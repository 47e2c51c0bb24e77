package org.automixonnx.graphs;

import java.util.Random;
import org.automixonnx.onnx.Shape;
import org.automixonnx.onnx.Tensor;

/** Draws the initial value of a parameter from the build's seeded random source. */
@FunctionalInterface
public interface Initializer {
    Tensor create(Shape shape, Random random);

    static Initializer constant(float value) {
        return (shape, random) -> Tensor.filled(shape, value);
    }

    static Initializer normal(double std) {
        return (shape, random) -> {
            float[] v = new float[Math.toIntExact(shape.numel())];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) (std * random.nextGaussian());
            }
            return Tensor.ofFloats(shape, v);
        };
    }

    /**
     * Kaiming-normal for a layer followed by ReLU, fan-out mode (torch's {@code kaiming_normal_(mode="fan_out",
     * nonlinearity="relu")}): std = sqrt(2 / fan_out), fan_out = dim0 * prod(dims[2:]) (out channels x kernel area).
     */
    static Initializer kaimingNormalFanOut() {
        return (shape, random) -> {
            long fanOut = shape.dim(0);
            for (int i = 2; i < shape.rank(); i++) {
                fanOut *= shape.dim(i);
            }
            return normal(Math.sqrt(2.0 / fanOut)).create(shape, random);
        };
    }
}
