package org.automixonnx.autodiff;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.stream.Stream;
import org.automixonnx.graphs.WinogradConv;
import org.automixonnx.onnx.DType;
import org.automixonnx.onnx.GraphBuilder;
import org.automixonnx.onnx.Shape;
import org.automixonnx.onnx.Value;
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
        DirectConvCheck.assertMatches(new long[] {s[0], s[1], s[2], s[3]}, new long[] {s[4], s[1], 3, 3}, 1, 1,
                (o, in) -> WinogradConv.conv2d(o, in.get(0), in.get(1)));
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
