package org.automixonnx.autodiff;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
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
import org.automixonnx.testing.RandomNormal;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Resize gradient is exact only if its interpolation matrices are the ones ORT's forward uses:
 * this compares ORT's Resize output with A_h X A_w^T computed from {@link InterpolationMatrix}, and the
 * same matrices with PyTorch's F.interpolate (committed fixture), whose semantics the models follow.
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
        Tensor input = RandomNormal.tensor(new Random(3), x.shape());
        float[] ort;
        try (GraphSession s = new GraphSession(b.buildModel())) {
            ort = s.run(Map.of("x", input), List.of("y")).get("y").floats();
        }
        InterpolationMatrix.Mode m = new InterpolationMatrix.Mode(mode, coords,
                nearest.isEmpty() ? "round_prefer_floor" : nearest);
        // Scales and sizes give the same factors here: the scales input is built as out/in.
        float[][] ah = InterpolationMatrix.of(m, h, ho, (float) ho / h);
        float[][] aw = InterpolationMatrix.of(m, w, wo, (float) wo / w);
        double worst = maxDifference(resizeWithMatrices(ah, aw, input.floats(), 2), ort);
        assertTrue(worst < 1e-5, "max |ORT - A_h X A_w^T| = " + worst);
    }

    /** PyTorch F.interpolate outputs (testdata/resize_torch.json, from tools/resize_reference.py). */
    static Stream<Arguments> torchCases() throws IOException {
        JsonNode root = new ObjectMapper().readTree(Path.of("testdata", "resize_torch.json").toFile());
        List<Arguments> out = new ArrayList<>();
        for (JsonNode c : root.get("cases")) {
            String label = c.get("mode").asText() + (c.get("align_corners").asBoolean() ? " align_corners " : " ")
                    + c.get("h").asInt() + "x" + c.get("w").asInt() + " -> " + c.get("ho").asInt() + "x"
                    + c.get("wo").asInt();
            out.add(Arguments.of(label, c));
        }
        return out.stream();
    }

    /** The ONNX modes the models use stand for PyTorch's nearest and bilinear (align_corners false/true). */
    @ParameterizedTest(name = "{0}")
    @MethodSource("torchCases")
    void matricesReproducePyTorchInterpolate(String label, JsonNode c) {
        int h = c.get("h").asInt();
        int w = c.get("w").asInt();
        int ho = c.get("ho").asInt();
        int wo = c.get("wo").asInt();
        InterpolationMatrix.Mode m = c.get("mode").asText().equals("nearest")
                ? new InterpolationMatrix.Mode("nearest", "asymmetric", "floor")
                : new InterpolationMatrix.Mode("linear",
                        c.get("align_corners").asBoolean() ? "align_corners" : "half_pixel", "round_prefer_floor");
        float[][] ah = InterpolationMatrix.of(m, h, ho, (float) ho / h);
        float[][] aw = InterpolationMatrix.of(m, w, wo, (float) wo / w);
        double worst = maxDifference(resizeWithMatrices(ah, aw, floats(c.get("x")), 2), floats(c.get("y")));
        assertTrue(worst < 1e-5, label + ": max |torch - A_h X A_w^T| = " + worst);
    }

    private static float[] floats(JsonNode array) {
        float[] v = new float[array.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) array.get(i).asDouble();
        }
        return v;
    }

    /** Y[c] = A_h X[c] A_w^T for each of {@code channels} planes, in double precision. */
    static float[] resizeWithMatrices(float[][] ah, float[][] aw, float[] xs, int channels) {
        int ho = ah.length;
        int h = ah[0].length;
        int wo = aw.length;
        int w = aw[0].length;
        float[] y = new float[channels * ho * wo];
        for (int c = 0; c < channels; c++) {
            for (int i = 0; i < ho; i++) {
                for (int j = 0; j < wo; j++) {
                    double acc = 0;
                    for (int p = 0; p < h; p++) {
                        for (int q = 0; q < w; q++) {
                            acc += (double) ah[i][p] * xs[(c * h + p) * w + q] * aw[j][q];
                        }
                    }
                    y[(c * ho + i) * wo + j] = (float) acc;
                }
            }
        }
        return y;
    }

    static double maxDifference(float[] a, float[] b) {
        double worst = 0;
        for (int i = 0; i < a.length; i++) {
            worst = Math.max(worst, Math.abs(a[i] - b[i]));
        }
        return worst;
    }
}
