package org.automixonnx.autodiff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Winograd F(2x2, 3x3) against ORT's Conv (output and both gradients) and against finite differences. */
class WinogradConvTest {
    /** {N, Cin, H, W, Cout}: square and non-square images, one tile, more output than input channels. */
    static Stream<long[]> shapes() {
        return Stream.of(new long[] {2, 4, 4, 4, 6}, new long[] {3, 3, 6, 8, 2}, new long[] {1, 2, 2, 2, 3},
                new long[] {2, 5, 8, 4, 5});
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void gradientsMatchFiniteDifferences(long[] s) {
        GradCheck.of("WinogradConv " + Arrays.toString(s)).randn("x", s[0], s[1], s[2], s[3])
                .randn("w", s[4], s[1], 3, 3).forward((o, x) -> WinogradConv.conv2d(o, x.get(0), x.get(1))).run();
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void outputAndGradientsEqualTheDirectConv(long[] s) {
        GraphBuilder b = new GraphBuilder("winograd_vs_conv");
        Ops o = new Ops(b);
        Value x = b.input("x", DType.FLOAT, Shape.of(s[0], s[1], s[2], s[3]));
        Value w = b.input("w", DType.FLOAT, Shape.of(s[4], s[1], 3, 3));
        Value winograd = WinogradConv.conv2d(o, x, w);
        Value conv = o.conv2d(x, w, null, 1, 1, 1, 1);
        assertEquals(conv.shape(), winograd.shape());
        Random r = new Random(5);
        Value weights = b.constant(GradCheck.randnTensor(r, conv.shape(), 0f, 1f));
        Map<Value, Value> gWinograd = new Differentiator(b).gradients(o.reduceSumAll(o.mul(winograd, weights)),
                List.of(x, w));
        Map<Value, Value> gConv = new Differentiator(b).gradients(o.reduceSumAll(o.mul(conv, weights)),
                List.of(x, w));
        b.output(winograd, "y_winograd");
        b.output(conv, "y_conv");
        b.output(gWinograd.get(x), "dx_winograd");
        b.output(gConv.get(x), "dx_conv");
        b.output(gWinograd.get(w), "dw_winograd");
        b.output(gConv.get(w), "dw_conv");
        Map<String, Tensor> out;
        try (GraphSession session = new GraphSession(b.buildModel())) {
            out = session.run(Map.of("x", GradCheck.randnTensor(r, x.shape(), 0f, 1f), "w",
                    GradCheck.randnTensor(r, w.shape(), 0f, 1f)));
        }
        for (String v : List.of("y", "dx", "dw")) {
            float[] a = out.get(v + "_winograd").floats();
            float[] e = out.get(v + "_conv").floats();
            assertEquals(e.length, a.length, v);
            double scale = 0;
            for (float f : e) {
                scale = Math.max(scale, Math.abs(f));
            }
            for (int i = 0; i < e.length; i++) {
                assertEquals(e[i], a[i], 1e-5 * scale, v + "[" + i + "]");
            }
        }
    }

    @Test
    void computesStrideOnePadOneThreeByThreeConvsOnEvenImagesAndPaysWhenWide() {
        GraphBuilder b = new GraphBuilder("shapes");
        Value even = b.input("even", DType.FLOAT, Shape.of(100, 256, 8, 8));
        Value odd = b.input("odd", DType.FLOAT, Shape.of(100, 256, 7, 7));
        Value thin = b.input("thin", DType.FLOAT, Shape.of(100, 64, 32, 32));
        assertTrue(WinogradConv.computes(even, 3, 1, 1, 1), "ResNet-18's 8x8 stage");
        assertFalse(WinogradConv.computes(odd, 3, 1, 1, 1), "odd sizes do not tile by 2");
        assertFalse(WinogradConv.computes(even, 3, 2, 1, 1), "strided");
        assertFalse(WinogradConv.computes(even, 1, 1, 0, 1), "1x1");
        assertFalse(WinogradConv.computes(even, 3, 1, 0, 1), "unpadded");
        assertFalse(WinogradConv.computes(even, 3, 1, 1, 256), "depthwise");
        Value dynamic = b.input("dynamic", DType.FLOAT, Shape.symbolic(new long[] {-1, 256, 8, 8},
                new String[] {"N", null, null, null}));
        assertFalse(WinogradConv.computes(dynamic, 3, 1, 1, 1), "dynamic batch");
        assertTrue(WinogradConv.pays(even, 256), "256 channels");
        assertTrue(WinogradConv.computes(thin, 3, 1, 1, 1), "computable at 64 channels...");
        assertFalse(WinogradConv.pays(thin, 64), "...but ResNet-18's 64-channel stage keeps ORT's Conv");
        assertFalse(WinogradConv.pays(even, 64), "few output channels");
    }
}
