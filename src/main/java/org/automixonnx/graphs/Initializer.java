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
        return (shape, random) -> normal(Math.sqrt(2.0 / (shape.dim(0) * receptiveField(shape)))).create(shape, random);
    }

    /**
     * LeCun-normal (timm's init of a ViT's patch embedding in its JAX mode): std = sqrt(1 / fan_in),
     * fan_in = dim1 * prod(dims[2:]) (in channels x kernel area), so the embedding's variance does not depend on
     * the patch size.
     */
    static Initializer lecunNormal() {
        return (shape, random) -> normal(Math.sqrt(1.0 / (shape.dim(1) * receptiveField(shape)))).create(shape, random);
    }

    /** The kernel area of a conv weight [out, in, k...] (1 for a linear weight). */
    private static long receptiveField(Shape shape) {
        long area = 1;
        for (int i = 2; i < shape.rank(); i++) {
            area *= shape.dim(i);
        }
        return area;
    }
}
