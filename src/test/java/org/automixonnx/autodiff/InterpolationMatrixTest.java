package org.automixonnx.autodiff;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.automixonnx.onnx.DType;
import org.automixonnx.onnx.GraphBuilder;
import org.automixonnx.onnx.Ops;
import org.automixonnx.onnx.Shape;
import org.automixonnx.onnx.Tensor;
import org.automixonnx.onnx.Value;
import org.automixonnx.runtime.GraphSession;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Resize gradient is exact only if its interpolation matrices are the ones ORT's forward uses:
 * this compares ORT's Resize output with A_h X A_w^T computed from {@link InterpolationMatrix}.
 */
class InterpolationMatrixTest {
    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("nearest", "asymmetric", "floor", 3, 3, 12, 12, true),
                Arguments.of("nearest", "asymmetric", "floor", 3, 5, 8, 7, false),
                Arguments.of("nearest", "half_pixel", "round_prefer_floor", 3, 8, 8, 3, false),
                Arguments.of("nearest", "asymmetric", "round_prefer_ceil", 4, 6, 8, 9, false),
                Arguments.of("nearest", "half_pixel", "ceil", 5, 4, 7, 2, false),
                Arguments.of("linear", "half_pixel", "", 4, 3, 8, 6, true),
                Arguments.of("linear", "half_pixel", "", 3, 3, 8, 8, false),
                Arguments.of("linear", "half_pixel", "", 8, 7, 3, 3, false),
                Arguments.of("linear", "half_pixel", "", 5, 5, 7, 9, false),
                Arguments.of("linear", "align_corners", "", 4, 3, 8, 6, true),
                Arguments.of("linear", "align_corners", "", 3, 4, 8, 9, false),
                Arguments.of("linear", "pytorch_half_pixel", "", 3, 4, 1, 9, false),
                Arguments.of("linear", "asymmetric", "", 3, 4, 7, 9, false));
    }

    @ParameterizedTest(name = "{0} {1} {2} {3}x{4} -> {5}x{6} scales={7}")
    @MethodSource("cases")
    void matricesReproduceOrtResize(String mode, String coords, String nearest, int h, int w, int ho, int wo,
            boolean byScales) {
        GraphBuilder b = new GraphBuilder("resize_forward");
        Ops o = new Ops(b);
        Value x = b.input("x", DType.FLOAT, Shape.of(1, 2, h, w));
        Map<String, Object> at = new java.util.LinkedHashMap<>(ConvPoolGradTest.linearOr(mode, coords));
        if (!nearest.isEmpty()) {
            at.put("nearest_mode", nearest);
        }
        b.output(ConvPoolGradTest.resizeOp(o, x, ho, wo, byScales, at), "y");
        Tensor input = GradCheck.randnTensor(new Random(3), x.shape(), 0f, 1f);
        float[] ort;
        try (GraphSession s = new GraphSession(b.buildModel())) {
            ort = s.run(Map.of("x", input), List.of("y")).get("y").floats();
        }
        InterpolationMatrix.Mode m = new InterpolationMatrix.Mode(mode, coords,
                nearest.isEmpty() ? "round_prefer_floor" : nearest);
        // Scales and sizes give the same factors here: the scales input is built as out/in.
        float[][] ah = InterpolationMatrix.of(m, h, ho, (float) ho / h);
        float[][] aw = InterpolationMatrix.of(m, w, wo, (float) wo / w);
        float[] xs = input.floats();
        double worst = 0;
        for (int c = 0; c < 2; c++) {
            for (int i = 0; i < ho; i++) {
                for (int j = 0; j < wo; j++) {
                    double y = 0;
                    for (int p = 0; p < h; p++) {
                        for (int q = 0; q < w; q++) {
                            y += ah[i][p] * xs[(c * h + p) * w + q] * aw[j][q];
                        }
                    }
                    worst = Math.max(worst, Math.abs(y - ort[(c * ho + i) * wo + j]));
                }
            }
        }
        assertTrue(worst < 1e-5, "max |ORT - A_h X A_w^T| = " + worst);
    }
}
