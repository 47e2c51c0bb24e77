package org.automixonnx.autodiff;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.automixonnx.onnx.Ops;
import org.automixonnx.onnx.Shape;
import org.automixonnx.onnx.Tensor;
import org.automixonnx.onnx.Value;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Finite-difference checks of Gemm, LayerNormalization, Pow and the piecewise-linear selection rules. */
class GemmNormAndPiecewiseGradTest {
    /** Gemm with every attribute; {@code c} may be null. */
    static Value gemm(Ops o, Value a, Value b, Value c, boolean ta, boolean tb, float alpha, float beta) {
        Map<String, Object> at = new LinkedHashMap<>();
        at.put("transA", ta ? 1L : 0L);
        at.put("transB", tb ? 1L : 0L);
        at.put("alpha", alpha);
        at.put("beta", beta);
        return o.builder().op("Gemm", Arrays.asList(a, b, c), at);
    }

    /** Values -1.17, -1.07, ... : none within 0.03 of the clip bounds +-0.5 used below. */
    static Tensor offBounds(long... dims) {
        float[] v = new float[(int) Shape.of(dims).numel()];
        for (int i = 0; i < v.length; i++) {
            v[(i * 7) % v.length] = -1.17f + 0.1f * i;
        }
        return Tensor.ofFloats(Shape.of(dims), v);
    }

    static Stream<GradCheck> cases() {
        return Stream.of(
                GradCheck.of("Gemm bias [N]").randn("a", 3, 4).randn("b", 4, 5).randn("c", 5)
                        .forward((o, x) -> gemm(o, x.get(0), x.get(1), x.get(2), false, false, 1f, 1f)),
                GradCheck.of("Gemm transA transB, alpha, beta, bias [1,N]").randn("a", 4, 3).randn("b", 5, 4)
                        .randn("c", 1, 5)
                        .forward((o, x) -> gemm(o, x.get(0), x.get(1), x.get(2), true, true, 0.7f, -1.5f)),
                GradCheck.of("Gemm transA, scalar bias").randn("a", 4, 3).randn("b", 4, 5).randn("c")
                        .forward((o, x) -> gemm(o, x.get(0), x.get(1), x.get(2), true, false, 2f, 0.5f)),
                GradCheck.of("Gemm transB, full bias").randn("a", 3, 4).randn("b", 5, 4).randn("c", 3, 5)
                        .forward((o, x) -> gemm(o, x.get(0), x.get(1), x.get(2), false, true, 1f, 1f)),
                GradCheck.of("Gemm without bias").randn("a", 3, 4).randn("b", 5, 4)
                        .forward((o, x) -> gemm(o, x.get(0), x.get(1), null, false, true, 1.5f, 1f)),
                GradCheck.of("LayerNorm last axis").randn("x", 3, 6).randn("scale", 6).randn("bias", 6)
                        .forward((o, x) -> o.layerNorm(x.get(0), x.get(1), x.get(2), -1, 1e-5f, 1).get(0)),
                GradCheck.of("LayerNorm axis 1 of rank 3, no bias, eps 0.1").randn("x", 2, 3, 4).randn("scale", 3, 4)
                        .forward((o, x) -> o.layerNorm(x.get(0), x.get(1), null, 1, 0.1f, 1).get(0)),
                GradCheck.of("LayerNorm with Mean and InvStdDev used").randn("x", 3, 5).randn("scale", 5)
                        .forward((o, x) -> {
                            List<Value> y = o.layerNorm(x.get(0), x.get(1), null, 1, 1e-5f, 3);
                            return o.add(y.get(0), o.mul(y.get(1), y.get(2)));
                        }),
                GradCheck.of("Pow constant exponent").randn("x", 3, 4)
                        .forward((o, x) -> o.pow(x.get(0), o.scalar(3f))),
                GradCheck.of("Pow tensor exponent").uniform("x", 0.5f, 2f, 3, 4).randn("p", 4)
                        .forward((o, x) -> o.pow(x.get(0), x.get(1))),
                GradCheck.of("Abs").awayFromZero("x", 0.05f, 3, 5)
                        .forward((o, x) -> o.abs(x.get(0))),
                GradCheck.of("Max of a and a+d").randn("a", 3, 4).awayFromZero("d", 0.05f, 3, 4)
                        .forward((o, x) -> o.max(x.get(0), o.add(x.get(0), x.get(1)))),
                GradCheck.of("Min broadcast").randn("a", 3, 4).awayFromZero("d", 0.05f, 4)
                        .forward((o, x) -> o.min(o.add(x.get(0), x.get(1)), x.get(0))),
                GradCheck.of("Clip constant bounds").input("x", offBounds(4, 6))
                        .forward((o, x) -> o.clip(x.get(0), o.scalar(-0.5f), o.scalar(0.5f))),
                GradCheck.of("Clip max only").input("x", offBounds(4, 6))
                        .forward((o, x) -> o.clip(x.get(0), null, o.scalar(0.5f))),
                GradCheck.of("Clip bounds as inputs with gradient").input("x", offBounds(4, 6))
                        .input("lo", Tensor.scalar(-0.5f)).input("hi", Tensor.scalar(0.5f))
                        .forward((o, x) -> o.clip(x.get(0), x.get(1), x.get(2))),
                GradCheck.of("Where").input("cond", Tensor.ofBools(Shape.of(3, 4), new boolean[] {
                    true, false, false, true, true, true, false, false, false, true, false, true}))
                        .randn("a", 3, 4).randn("b", 4)
                        .forward((o, x) -> o.where(x.get(0), x.get(1), x.get(2))),
                GradCheck.of("ReduceMax axis 1").randn("x", 3, 4, 5)
                        .forward((o, x) -> o.reduceMax(x.get(0), false, 1)),
                GradCheck.of("ReduceMax all, keepdims").randn("x", 3, 4)
                        .forward((o, x) -> o.builder().op("ReduceMax", x.get(0))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesFiniteDifferences(GradCheck check) {
        check.run();
    }
}
