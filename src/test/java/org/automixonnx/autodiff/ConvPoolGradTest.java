package org.automixonnx.autodiff;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.automixonnx.onnx.Ops;
import org.automixonnx.onnx.Shape;
import org.automixonnx.onnx.Tensor;
import org.automixonnx.onnx.Value;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Finite-difference checks of the Conv, pooling, Resize and Pad rules (table-driven). */
class ConvPoolGradTest {
    private static final long[] S1 = {1, 1};
    private static final long[] S2 = {2, 2};
    private static final long[] D1 = {1, 1};

    static Stream<GradCheck> cases() {
        return Stream.of(
                // ---- Conv
                conv("Conv 3x3 s1 p1 bias", 2, 3, 7, 7, 4, 3, 3, S1, pads(1), D1, 1, true),
                conv("Conv 3x3 s1 p0 no bias", 2, 3, 6, 6, 4, 3, 3, S1, pads(0), D1, 1, false),
                // the three weight-gradient formulations: columns-first (positions > 9 Cin > Cout), dY-first
                // (above: 16 positions < 27 rows) and one large GEMM (few positions, many channels)
                conv("Conv 3x3 wide columns", 2, 2, 9, 9, 3, 3, 3, S1, pads(1), D1, 1, false),
                conv("Conv 3x3 s2 few positions", 2, 8, 4, 4, 8, 3, 3, S2, pads(1), D1, 1, false),
                conv("Conv 3x3 s2 p1 even input (uneven cover)", 2, 3, 8, 8, 4, 3, 3, S2, pads(1), D1, 1, true),
                conv("Conv 3x3 s2 p1 odd input 7x7", 2, 3, 7, 7, 4, 3, 3, S2, pads(1), D1, 1, false),
                conv("Conv 3x3 s2 p0 on 8x8", 2, 2, 8, 8, 3, 3, 3, S2, pads(0), D1, 1, false),
                conv("Conv asymmetric pads s1", 2, 3, 6, 5, 4, 3, 3, S1, new long[] {0, 1, 2, 1}, D1, 1, true),
                conv("Conv asymmetric pads s2", 2, 3, 7, 6, 4, 3, 3, S2, new long[] {1, 0, 0, 2}, D1, 1, false),
                conv("Conv dilation 2 p2", 2, 3, 7, 7, 4, 3, 3, S1, pads(2), new long[] {2, 2}, 1, false),
                conv("Conv dilation 2 s2 p1", 2, 3, 9, 8, 4, 3, 3, S2, pads(1), new long[] {2, 2}, 1, true),
                conv("Conv groups 2", 2, 4, 6, 6, 4, 3, 3, S1, pads(1), D1, 2, true),
                conv("Conv groups 2 s2", 2, 4, 7, 7, 6, 3, 3, S2, pads(1), D1, 2, false),
                conv("Conv depthwise s1", 2, 4, 6, 6, 4, 3, 3, S1, pads(1), D1, 4, false),
                conv("Conv depthwise s2 bias", 2, 4, 7, 7, 4, 3, 3, S2, pads(1), D1, 4, true),
                conv("Conv depthwise multiplier 2", 2, 3, 6, 6, 6, 3, 3, S1, pads(1), D1, 3, false),
                conv("Conv 1x1 s1", 2, 4, 5, 5, 3, 1, 1, S1, pads(0), D1, 1, true),
                conv("Conv 1x1 s2 (downsample)", 2, 4, 7, 7, 3, 1, 1, S2, pads(0), D1, 1, false),
                conv("Conv 1x1 p1 (pad beyond kernel)", 2, 3, 4, 4, 2, 1, 1, S1, pads(1), D1, 1, false),
                conv("Conv 1x3 non-square", 2, 3, 5, 6, 4, 1, 3, S1, new long[] {0, 1, 0, 1}, D1, 1, false),
                conv("Conv 7x7 s2 p3 stem", 2, 3, 9, 9, 4, 7, 7, S2, pads(3), D1, 1, false),
                GradCheck.of("Conv chain sharing the im2col kernel").randn("x", 2, 3, 6, 6).randn("w1", 3, 3, 3, 3)
                        .randn("w2", 4, 3, 3, 3).forward((o, x) -> o.conv2d(
                                o.conv2d(x.get(0), x.get(1), null, 1, 1, 1, 1), x.get(2), null, 2, 1, 1, 1)),
                // ---- pooling
                GradCheck.of("GlobalAveragePool").randn("x", 2, 3, 5, 5)
                        .forward((o, x) -> o.globalAveragePool(x.get(0))),
                pool("AveragePool k3 s1 p0", "AveragePool", 2, 3, 6, 6, 3, S1, pads(0), 0, false),
                pool("AveragePool k2 s2 odd input", "AveragePool", 2, 3, 7, 7, 2, S2, pads(0), 0, false),
                pool("AveragePool k3 s2 p1 exclude pad", "AveragePool", 2, 3, 7, 7, 3, S2, pads(1), 0, false),
                pool("AveragePool k3 s2 p1 include pad", "AveragePool", 2, 3, 8, 8, 3, S2, pads(1), 1, false),
                pool("AveragePool asymmetric pads", "AveragePool", 2, 2, 6, 7, 3, S2, new long[] {0, 1, 1, 0}, 0,
                        false),
                pool("MaxPool k2 s2", "MaxPool", 2, 3, 8, 8, 2, S2, pads(0), 0, false),
                pool("MaxPool k3 s2 p1 stem (overlapping)", "MaxPool", 2, 3, 9, 9, 3, S2, pads(1), 0, false),
                pool("MaxPool k3 s1 p1 (overlapping)", "MaxPool", 2, 2, 6, 6, 3, S1, pads(1), 0, false),
                pool("MaxPool with Indices output", "MaxPool", 2, 3, 7, 7, 3, S2, pads(1), 0, true),
                // ---- Resize
                resize("Resize nearest 4x (asymmetric floor)", 3, 3, 12, 12, true, linearOr("nearest", "asymmetric")),
                resize("Resize nearest 3->8 sizes", 3, 5, 8, 7, false, linearOr("nearest", "asymmetric")),
                resize("Resize bilinear 2x half_pixel", 4, 3, 8, 6, true, linearOr("linear", "half_pixel")),
                resize("Resize bilinear 3->8 half_pixel", 3, 3, 8, 8, false, linearOr("linear", "half_pixel")),
                resize("Resize bilinear 8->3 half_pixel", 8, 7, 3, 3, false, linearOr("linear", "half_pixel")),
                resize("Resize bilinear 2x align_corners", 4, 3, 8, 6, true, linearOr("linear", "align_corners")),
                resize("Resize bilinear 3->8 align_corners", 3, 4, 8, 9, false, linearOr("linear", "align_corners")),
                // ---- Pad
                GradCheck.of("Pad constant").randn("x", 2, 3, 4, 5)
                        .forward((o, x) -> o.pad(x.get(0), new long[] {0, 0, 1, 2, 0, 0, 2, 1}, null)),
                GradCheck.of("Pad constant with value input").randn("x", 2, 3, 4, 5).randn("v")
                        .forward((o, x) -> o.pad(x.get(0), new long[] {0, 1, 1, 0, 1, 0, 0, 3}, x.get(1))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesFiniteDifferences(GradCheck check) {
        check.run();
    }

    static long[] pads(long p) {
        return new long[] {p, p, p, p};
    }

    /** A Conv case: input [n, cin, h, w], weight [cout, cin/group, kh, kw], optional bias [cout]. */
    static GradCheck conv(String label, long n, long cin, long h, long w, long cout, long kh, long kw, long[] strides,
            long[] pads, long[] dilations, long group, boolean bias) {
        GradCheck g = GradCheck.of(label).randn("x", n, cin, h, w).randn("w", cout, cin / group, kh, kw);
        if (bias) {
            g.randn("b", cout);
        }
        return g.forward((o, x) -> o.conv(x.get(0), x.get(1), bias ? x.get(2) : null, strides, pads, dilations,
                group));
    }

    /**
     * A pooling case. MaxPool inputs are a shuffled ramp with steps of 0.1, far above the finite-difference
     * step, so no window has a tie and no perturbation changes a window's winner.
     */
    static GradCheck pool(String label, String op, long n, long ch, long h, long w, long k, long[] strides,
            long[] pads, long includePad, boolean withIndices) {
        GradCheck g = GradCheck.of(label);
        if (op.equals("MaxPool")) {
            g.input("x", distinctValues(Shape.of(n, ch, h, w), 0.1f));
        } else {
            g.randn("x", n, ch, h, w);
        }
        Map<String, Object> at = new LinkedHashMap<>();
        at.put("kernel_shape", new long[] {k, k});
        at.put("strides", strides);
        at.put("pads", pads);
        if (op.equals("AveragePool")) {
            at.put("count_include_pad", includePad);
        }
        return g.forward((o, x) -> o.builder().op(op, List.of(x.get(0)), at, withIndices ? 2 : 1).get(0));
    }

    static Tensor distinctValues(Shape s, float step) {
        List<Integer> ranks = new ArrayList<>();
        for (int i = 0; i < s.numel(); i++) {
            ranks.add(i);
        }
        Collections.shuffle(ranks, new Random(11));
        float[] v = new float[ranks.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (ranks.get(i) - v.length / 2f) * step;
        }
        return Tensor.ofFloats(s, v);
    }

    static Map<String, Object> linearOr(String mode, String coordinates) {
        Map<String, Object> at = new LinkedHashMap<>();
        at.put("mode", mode);
        at.put("coordinate_transformation_mode", coordinates);
        if (mode.equals("nearest")) {
            at.put("nearest_mode", "floor");
        }
        return at;
    }

    /** A Resize of [2, 2, h, w] to [2, 2, ho, wo], given as scales (integer factors) or as sizes. */
    static GradCheck resize(String label, long h, long w, long ho, long wo, boolean byScales, Map<String, Object> at) {
        return GradCheck.of(label).randn("x", 2, 2, h, w)
                .forward((o, x) -> resizeOp(o, x.get(0), ho, wo, byScales, at));
    }

    static Value resizeOp(Ops o, Value x, long ho, long wo, boolean byScales, Map<String, Object> at) {
        Value scales = null;
        Value sizes = null;
        if (byScales) {
            scales = o.constant(Tensor.ofFloats(Shape.of(4),
                    new float[] {1f, 1f, (float) ho / x.dim(2), (float) wo / x.dim(3)}));
        } else {
            sizes = o.builder().longs(x.dim(0), x.dim(1), ho, wo);
        }
        return o.builder().op("Resize", Arrays.asList(x, null, scales, sizes), at);
    }
}
