package org.automixonnx.autodiff;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.automixonnx.onnx.DType;
import org.automixonnx.onnx.GraphBuilder;
import org.automixonnx.onnx.Shape;
import org.automixonnx.onnx.Value;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The one-GEMM training Conv: its composite backward against finite differences and against the plain Conv. */
class BatchGemmConvTest {
    /** n, cin, h, w, cout, kernel, pad */
    static Stream<long[]> shapes() {
        // {N, Cin, H, W, Cout, kernel, pad, stride}
        return Stream.of(new long[] {2, 4, 4, 4, 6, 3, 1, 1}, new long[] {2, 3, 5, 4, 4, 3, 0, 1},
                new long[] {2, 3, 3, 3, 5, 3, 2, 1}, new long[] {2, 5, 3, 3, 4, 1, 0, 1},
                // pad beyond the kernel: the adjoint falls back to ConvTranspose
                new long[] {2, 3, 3, 3, 2, 1, 1, 1},
                // strided (a ResNet stage's first conv, odd sizes, a 1x1 downsampling shortcut): the input
                // gradient is ConvTranspose
                new long[] {2, 3, 6, 6, 4, 3, 1, 2}, new long[] {2, 3, 7, 6, 4, 3, 1, 2},
                new long[] {2, 4, 5, 5, 3, 1, 0, 2});
    }

    static Stream<GradCheck> cases() {
        return shapes().map(s -> GradCheck.of("BatchGemmConv " + java.util.Arrays.toString(s))
                .randn("x", s[0], s[1], s[2], s[3]).randn("w", s[4], s[1], s[5], s[5])
                .forward((o, x) -> BatchGemmConv.conv2d(o, x.get(0), x.get(1), (int) s[7], (int) s[6])));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void gradientsMatchFiniteDifferences(GradCheck check) {
        check.run();
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void outputAndGradientsEqualThePlainConvs(long[] s) {
        DirectConvCheck.assertMatches(new long[] {s[0], s[1], s[2], s[3]}, new long[] {s[4], s[1], s[5], s[5]},
                (int) s[7], (int) s[6], (o, in) -> BatchGemmConv.conv2d(o, in.get(0), in.get(1), (int) s[7],
                        (int) s[6]));
    }

    @Test
    void appliesToFewPositionsManyChannelsOnly() {
        GraphBuilder b = new GraphBuilder("shapes");
        Value deep = b.input("deep", DType.FLOAT, Shape.of(100, 256, 8, 8));
        Value wide = b.input("wide", DType.FLOAT, Shape.of(100, 64, 32, 32));
        assertTrue(BatchGemmConv.applies(deep, 256, 3, 1, 1, 1), "ResNet-18's 8x8 stage");
        assertFalse(BatchGemmConv.applies(wide, 64, 3, 1, 1, 1), "ResNet-18's 32x32 stage keeps ORT's Conv");
        // output positions, not input positions, decide: 32x32 -> 4x4 with a 29x29 unpadded kernel
        assertTrue(BatchGemmConv.applies(wide, 64, 29, 1, 0, 1), "few output positions");
        assertTrue(BatchGemmConv.applies(deep, 512, 3, 2, 1, 1), "ResNet-18's stride-2 conv into the 4x4 stage");
        assertFalse(BatchGemmConv.applies(wide, 128, 3, 2, 1, 1), "stride 2 into the 16x16 stage keeps ORT's Conv");
        assertFalse(BatchGemmConv.applies(deep, 256, 3, 1, 1, 256), "depthwise");
        Value dynamic = b.input("dynamic", DType.FLOAT, Shape.symbolic(new long[] {-1, 256, 8, 8},
                new String[] {"N", null, null, null}));
        assertFalse(BatchGemmConv.applies(dynamic, 256, 3, 1, 1, 1), "dynamic batch");
    }
}
