package org.automixonnx.autodiff;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.automixonnx.onnx.DType;
import org.automixonnx.onnx.GraphBuilder;
import org.automixonnx.onnx.Ops;
import org.automixonnx.onnx.Shape;
import org.automixonnx.onnx.Tensor;
import org.automixonnx.onnx.Value;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Finite-difference checks of the shape, indexing and softmax rules (table-driven). */
class ShapeAndSoftmaxGradTest {
    private static final long INT_MAX = Integer.MAX_VALUE;

    static Tensor indices(long[] dims, long... values) {
        return Tensor.ofLongs(Shape.of(dims), values);
    }

    static Stream<GradCheck> cases() {
        return Stream.of(
                GradCheck.of("Flatten axis 2").randn("a", 2, 3, 4, 2)
                        .forward((o, x) -> o.flatten(x.get(0), 2)),
                // a shape-keeping Flatten (the layout fence) around a transpose, as in WinogradConv
                GradCheck.of("Flatten fence around Transpose").randn("a", 3, 5)
                        .forward((o, x) -> o.flatten(o.transpose(o.flatten(x.get(0), 1), 1, 0), 1)),
                GradCheck.of("Reshape with -1").randn("a", 2, 3, 4)
                        .forward((o, x) -> o.reshape(x.get(0), 4, -1)),
                GradCheck.of("Transpose perm").randn("a", 2, 3, 4)
                        .forward((o, x) -> o.transpose(x.get(0), 2, 0, 1)),
                GradCheck.of("Transpose default reverses").randn("a", 2, 3, 4)
                        .forward((o, x) -> o.builder().op("Transpose", x.get(0))),
                GradCheck.of("Concat three inputs").randn("a", 2, 1, 3).randn("b", 2, 4, 3).randn("c", 2, 2, 3)
                        .forward((o, x) -> o.concat(x, 1)),
                GradCheck.of("Concat with itself (fan-out)").randn("a", 2, 3)
                        .forward((o, x) -> o.concat(List.of(x.get(0), x.get(0)), -1)),
                GradCheck.of("Split equal, middle output unused").randn("a", 2, 6)
                        .forward((o, x) -> {
                            List<org.automixonnx.onnx.Value> p = o.builder().op("Split", List.of(x.get(0)),
                                    Map.of("axis", 1L), 3);
                            return o.mul(p.get(0), p.get(2));
                        }),
                GradCheck.of("Split explicit sizes, one output unused").randn("a", 3, 6)
                        .forward((o, x) -> {
                            List<org.automixonnx.onnx.Value> p = o.split(x.get(0), 1, 1, 3, 2);
                            return o.concat(List.of(p.get(2), p.get(0)), 1);
                        }),
                GradCheck.of("Slice step 2").randn("a", 3, 7)
                        .forward((o, x) -> o.slice(x.get(0), new long[] {1}, new long[] {INT_MAX},
                                new long[] {1}, new long[] {2})),
                GradCheck.of("Slice reversed (step -1)").randn("a", 3, 5)
                        .forward((o, x) -> o.slice(x.get(0), new long[] {-1}, new long[] {-INT_MAX},
                                new long[] {1}, new long[] {-1})),
                GradCheck.of("Slice step -2 and a second axis").randn("a", 4, 7)
                        .forward((o, x) -> o.slice(x.get(0), new long[] {-2, 1}, new long[] {0, 3},
                                new long[] {-1, 0}, new long[] {-2, 1})),
                GradCheck.of("Slice without steps").randn("a", 2, 3, 5)
                        .forward((o, x) -> o.slice(x.get(0), new long[] {1, 0}, new long[] {4, 1},
                                new long[] {2, 0}, null)),
                GradCheck.of("Gather axis 0, batch permutation with repeats").randn("a", 4, 3, 2)
                        .input("perm", indices(new long[] {6}, 2, 0, 2, 3, 2, 1))
                        .forward((o, x) -> o.gather(x.get(0), x.get(1), 0)),
                GradCheck.of("Gather axis 1, 2-D and negative indices").randn("a", 2, 5, 3)
                        .input("idx", indices(new long[] {2, 2}, -1, 0, 4, 0))
                        .forward((o, x) -> o.gather(x.get(0), x.get(1), 1)),
                GradCheck.of("Gather from many rows (scatter-add path) with repeats").randn("a", 300, 2)
                        .input("idx", indices(new long[] {5}, 299, 7, 299, 0, 150)).maxElements(600)
                        .forward((o, x) -> o.gather(x.get(0), x.get(1), 0)),
                GradCheck.of("GatherElements axis 1 with repeats").randn("a", 3, 4)
                        .input("idx", indices(new long[] {3, 5}, 0, 0, 1, 3, 3, 2, 2, 2, 2, 1, 0, 1, 2, 3, 0))
                        .forward((o, x) -> o.gatherElements(x.get(0), x.get(1), 1)),
                GradCheck.of("Unsqueeze").randn("a", 3, 4)
                        .forward((o, x) -> o.unsqueeze(x.get(0), 0, 3)),
                GradCheck.of("Squeeze").randn("a", 3, 1, 4, 1)
                        .forward((o, x) -> o.squeeze(x.get(0), 1)),
                GradCheck.of("Expand").randn("a", 3, 1)
                        .forward((o, x) -> o.expand(x.get(0), 2, 3, 4)),
                GradCheck.of("Tile").randn("a", 2, 3)
                        .forward((o, x) -> o.tile(x.get(0), 3, 2)),
                GradCheck.of("Softmax axis 1").randn("a", 2, 3, 4)
                        .forward((o, x) -> o.softmax(x.get(0), 1)),
                GradCheck.of("Softmax last axis").randn("a", 3, 5)
                        .forward((o, x) -> o.softmax(x.get(0), -1)),
                GradCheck.of("LogSoftmax last axis").randn("a", 3, 5)
                        .forward((o, x) -> o.logSoftmax(x.get(0), -1)),
                GradCheck.of("LogSoftmax axis 0").randn("a", 4, 3)
                        .forward((o, x) -> o.logSoftmax(x.get(0), 0)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesFiniteDifferences(GradCheck check) {
        check.run();
    }

    @Test
    void aShapeKeepingFlattenDifferentiatesToAFlattenFence() {
        GraphBuilder b = new GraphBuilder("fence");
        Ops o = new Ops(b);
        Value a = b.input("a", DType.FLOAT, Shape.of(3, 5));
        Value fenced = o.flatten(o.transpose(o.flatten(a, 1), 1, 0), 1);
        Value l = o.reduceSumAll(o.mul(fenced, fenced));
        Value grad = new Differentiator(b).gradients(l, List.of(a)).get(a);
        assertEquals("Flatten", b.producer(grad.name()).opType(), "last op of the gradient");
        Value flat = o.flatten(b.input("c", DType.FLOAT, Shape.of(2, 3, 4)), 1);
        Value g2 = new Differentiator(b).gradients(o.reduceSumAll(flat), List.of(b.value("c"))).get(b.value("c"));
        assertEquals("Reshape", b.producer(g2.name()).opType(), "a reshaping Flatten's gradient");
    }
}
