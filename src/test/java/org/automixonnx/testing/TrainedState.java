package org.automixonnx.testing;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.automixonnx.onnx.DType;
import org.automixonnx.onnx.Tensor;

/** A trained-looking state for export tests: every float tensor perturbed, BN variances and bn1 scales positive. */
public final class TrainedState {
    private TrainedState() {
    }

    public static Map<String, Tensor> randomise(Map<String, Tensor> initial, long seed) {
        Random r = new Random(seed);
        Map<String, Tensor> out = new LinkedHashMap<>();
        initial.forEach((name, t) -> {
            if (t.dtype() != DType.FLOAT) {
                out.put(name, t);
                return;
            }
            float[] v = t.floats();
            for (int i = 0; i < v.length; i++) {
                v[i] = name.endsWith("running_var") || name.endsWith("bn1.weight") ? 0.5f + r.nextFloat()
                        : v[i] + 0.1f * (float) r.nextGaussian();
            }
            out.put(name, Tensor.ofFloats(t.shape(), v));
        });
        return out;
    }
}
