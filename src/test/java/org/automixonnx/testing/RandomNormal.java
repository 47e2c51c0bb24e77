package org.automixonnx.testing;

import java.util.Random;
import org.automixonnx.onnx.Shape;
import org.automixonnx.onnx.Tensor;

/** Standard-normal test data, one draw of the caller's generator per element (in order), as floats. */
public final class RandomNormal {
    private RandomNormal() {
    }

    /** {@code n} draws of N(0, 1). */
    public static float[] floats(Random r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return v;
    }

    /** A float tensor of N(0, 1) entries. */
    public static Tensor tensor(Random r, Shape s) {
        return Tensor.ofFloats(s, floats(r, Math.toIntExact(s.numel())));
    }

    /** A float tensor of N(0, std^2) entries. */
    public static Tensor tensor(Random r, Shape s, float std) {
        float[] v = floats(r, Math.toIntExact(s.numel()));
        for (int i = 0; i < v.length; i++) {
            v[i] *= std;
        }
        return Tensor.ofFloats(s, v);
    }
}
