package org.automixonnx.autodiff;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.automixonnx.onnx.DType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Finite-difference checks of the element-wise, matmul and reduction rules (table-driven). */
class ElementwiseAndLinearGradTest {
    static Stream<GradCheck> cases() {
        return Stream.of(
                GradCheck.of("Add broadcast").randn("a", 2, 3, 4).randn("b", 3, 1)
                        .forward((o, x) -> o.add(x.get(0), x.get(1))),
                GradCheck.of("Sub broadcast").randn("a", 4).randn("b", 2, 3, 4)
                        .forward((o, x) -> o.sub(x.get(0), x.get(1))),
                GradCheck.of("Mul broadcast").randn("a", 2, 3, 4).randn("b", 1, 3, 1)
                        .forward((o, x) -> o.mul(x.get(0), x.get(1))),
                GradCheck.of("Div").randn("a", 3, 4).uniform("b", 0.5f, 2f, 4)
                        .forward((o, x) -> o.div(x.get(0), x.get(1))),
                GradCheck.of("Sum of three").randn("a", 3, 4).randn("b", 4).randn("c", 3, 1)
                        .forward((o, x) -> o.sum(x)),
                GradCheck.of("Neg").randn("a", 5).forward((o, x) -> o.neg(x.get(0))),
                GradCheck.of("Relu").awayFromZero("a", 0.05f, 3, 7).forward((o, x) -> o.relu(x.get(0))),
                GradCheck.of("Sigmoid").randn("a", 3, 7).forward((o, x) -> o.sigmoid(x.get(0))),
                GradCheck.of("Tanh").randn("a", 3, 7).forward((o, x) -> o.tanh(x.get(0))),
                GradCheck.of("Exp").randn("a", 3, 7).forward((o, x) -> o.exp(x.get(0))),
                GradCheck.of("Log").uniform("a", 0.5f, 3f, 3, 7).forward((o, x) -> o.log(x.get(0))),
                GradCheck.of("Sqrt").uniform("a", 0.5f, 3f, 3, 7).forward((o, x) -> o.sqrt(x.get(0))),
                GradCheck.of("Reciprocal").uniform("a", 0.5f, 2f, 3, 7).forward((o, x) -> o.reciprocal(x.get(0))),
                GradCheck.of("Erf").randn("a", 3, 7).forward((o, x) -> o.erf(x.get(0))),
                GradCheck.of("Identity").randn("a", 3, 7).forward((o, x) -> o.identity(x.get(0))),
                // Ops.cast leaves a same-type cast out, so the float -> float Cast is written by hand
                GradCheck.of("Cast float to float").randn("a", 3, 7)
                        .forward((o, x) -> o.builder().op("Cast", List.of(x.get(0)),
                                Map.of("to", (long) DType.FLOAT.onnxCode))),
                GradCheck.of("Cast float to double and back").randn("a", 3, 7)
                        .forward((o, x) -> o.cast(o.cast(x.get(0), DType.DOUBLE), DType.FLOAT)),
                GradCheck.of("MatMul 2-D").randn("a", 3, 4).randn("b", 4, 5)
                        .forward((o, x) -> o.matmul(x.get(0), x.get(1))),
                GradCheck.of("MatMul batched broadcast").randn("a", 2, 3, 4).randn("b", 4, 5)
                        .forward((o, x) -> o.matmul(x.get(0), x.get(1))),
                GradCheck.of("MatMul vector").randn("a", 4).randn("b", 2, 4, 3)
                        .forward((o, x) -> o.matmul(x.get(0), x.get(1))),
                GradCheck.of("ReduceSum axes").randn("a", 2, 3, 4)
                        .forward((o, x) -> o.reduceSum(x.get(0), false, 1)),
                GradCheck.of("ReduceMean keepdims").randn("a", 2, 3, 4)
                        .forward((o, x) -> o.reduceMean(x.get(0), true, 0, 2)),
                GradCheck.of("Fan-out x*x+x").randn("a", 3, 4)
                        .forward((o, x) -> o.add(o.mul(x.get(0), x.get(0)), x.get(0))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesFiniteDifferences(GradCheck check) {
        check.run();
    }
}
