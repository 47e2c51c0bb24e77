package org.automixonnx.autodiff;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.stream.Stream;
import org.automixonnx.graphs.TapMatrixDepthwiseConv;
import org.automixonnx.onnx.DType;
import org.automixonnx.onnx.GraphBuilder;
import org.automixonnx.onnx.Shape;
import org.automixonnx.onnx.Value;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The depthwise conv as a tap-matrix product against ORT's grouped Conv (output and both gradients) and finite differences. */
class TapMatrixDepthwiseConvTest {
    /**
     * {N, C, H, W, stride, pad}: MobileNetV2's 1x1 and 2x2 maps (most taps read the padding), a stride-2 conv into a
     * 1x1 and into a 2x2 map, an unpadded one and a non-square map.
     */
    static Stream<long[]> shapes() {
        return Stream.of(new long[] {3, 5, 1, 1, 1, 1}, new long[] {2, 4, 2, 2, 1, 1}, new long[] {2, 3, 2, 2, 2, 1},
                new long[] {2, 3, 4, 4, 2, 1}, new long[] {2, 2, 4, 4, 1, 0}, new long[] {2, 3, 1, 2, 1, 1});
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void gradientsMatchFiniteDifferences(long[] s) {
        GradCheck.of("TapMatrixDepthwiseConv " + Arrays.toString(s)).randn("x", s[0], s[1], s[2], s[3])
                .randn("w", s[1], 1, 3, 3).forward((o, x) -> TapMatrixDepthwiseConv.conv2d(o, x.get(0), x.get(1),
                        (int) s[4], (int) s[5])).run();
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void outputAndGradientsEqualTheGroupedConv(long[] s) {
        DirectConvCheck.assertMatches(new long[] {s[0], s[1], s[2], s[3]}, new long[] {s[1], 1, 3, 3}, (int) s[4],
                (int) s[5], (int) s[1], (o, in) -> TapMatrixDepthwiseConv.conv2d(o, in.get(0), in.get(1), (int) s[4],
                        (int) s[5]));
    }

    @Test
    void appliesToDepthwiseConvsWithFewOutputPositions() {
        GraphBuilder b = new GraphBuilder("shapes");
        Value oneByOne = b.input("a", DType.FLOAT, Shape.of(100, 480, 1, 1));
        Value twoByTwo = b.input("b", DType.FLOAT, Shape.of(100, 192, 2, 2));
        Value fourByFour = b.input("c", DType.FLOAT, Shape.of(100, 96, 4, 4));
        assertTrue(TapMatrixDepthwiseConv.applies(oneByOne, 480, 3, 1, 1, 480), "MobileNetV2's 1x1 stage");
        assertTrue(TapMatrixDepthwiseConv.applies(twoByTwo, 192, 3, 1, 1, 192), "its 2x2 stage");
        assertTrue(TapMatrixDepthwiseConv.applies(fourByFour, 96, 3, 2, 1, 96), "a stride-2 conv into 2x2");
        assertFalse(TapMatrixDepthwiseConv.applies(fourByFour, 96, 3, 1, 1, 96), "16 positions: ORT's Conv is faster");
        assertFalse(TapMatrixDepthwiseConv.applies(twoByTwo, 192, 3, 1, 1, 1), "not grouped");
        assertFalse(TapMatrixDepthwiseConv.applies(twoByTwo, 384, 3, 1, 1, 192), "two filters per channel");
        Value dynamic = b.input("d", DType.FLOAT, Shape.symbolic(new long[] {-1, 192, 2, 2},
                new String[] {"N", null, null, null}));
        assertFalse(TapMatrixDepthwiseConv.applies(dynamic, 192, 3, 1, 1, 192), "dynamic batch");
    }
}
