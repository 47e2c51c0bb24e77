package org.automixonnx.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Stream;
import org.automixonnx.runtime.GraphSession;
import org.automixonnx.testing.RandomNormal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Static shape inference: every inferred shape must equal the shape ONNX Runtime actually produces, and
 * impossible shapes must fail at the node that makes them, naming it.
 */
class ShapeInferenceTest {
    /** A graph fragment built from float inputs (declared inside); every node output is compared with ORT. */
    record Case(String label, Function<GraphBuilder, Value> build) {
        @Override
        public String toString() {
            return label;
        }
    }

    static Case of(String label, Function<GraphBuilder, Value> build) {
        return new Case(label, build);
    }

    static Value in(GraphBuilder b, long... dims) {
        return b.input("in" + b.inputs().size(), DType.FLOAT, Shape.of(dims));
    }

    static Stream<Case> cases() {
        return Stream.of(
                of("Conv stride 2, pad 1, dilation 1, groups 2", b -> new Ops(b).conv(in(b, 2, 4, 9, 7),
                        in(b, 6, 2, 3, 3), null, new long[] {2, 2}, new long[] {1, 1, 1, 1}, new long[] {1, 1}, 2)),
                of("Conv asymmetric pads and dilation 2", b -> new Ops(b).conv(in(b, 1, 3, 10, 10),
                        in(b, 5, 3, 3, 3), in(b, 5), new long[] {1, 1}, new long[] {0, 1, 2, 0}, new long[] {2, 2}, 1)),
                of("ConvTranspose stride 2", b -> b.op("ConvTranspose", List.of(in(b, 1, 4, 5, 5), in(b, 4, 3, 3, 3)),
                        Map.of("strides", new long[] {2, 2}, "pads", new long[] {1, 1, 1, 1},
                                "output_padding", new long[] {1, 1}))),
                of("MaxPool ceil mode", b -> b.op("MaxPool", List.of(in(b, 1, 2, 7, 7)),
                        Map.of("kernel_shape", new long[] {2, 2}, "strides", new long[] {2, 2}, "ceil_mode", 1L))),
                of("AveragePool with pads", b -> b.op("AveragePool", List.of(in(b, 1, 2, 6, 6)),
                        Map.of("kernel_shape", new long[] {3, 3}, "strides", new long[] {2, 2},
                                "pads", new long[] {1, 1, 1, 1}))),
                of("GlobalAveragePool then Flatten", b -> new Ops(b).flatten(new Ops(b).globalAveragePool(
                        in(b, 2, 3, 4, 5)), 1)),
                of("Gemm transA transB", b -> new Ops(b).gemm(in(b, 4, 3), in(b, 5, 4), in(b, 5), true, true)),
                of("MatMul batched broadcast and vector", b -> new Ops(b).matmul(new Ops(b).matmul(in(b, 2, 1, 3, 4),
                        in(b, 5, 4, 6)), in(b, 6))),
                of("Broadcast arithmetic", b -> new Ops(b).add(in(b, 3, 1, 5), in(b, 4, 1))),
                of("Reshape with 0 and -1", b -> new Ops(b).reshape(in(b, 2, 3, 4), 0, -1, 2)),
                of("Transpose", b -> new Ops(b).transpose(in(b, 2, 3, 4), 1, 2, 0)),
                of("Concat", b -> new Ops(b).concat(List.of(in(b, 2, 3), in(b, 2, 5)), -1)),
                of("Split explicit", b -> new Ops(b).split(in(b, 2, 7), 1, 2, 5).get(1)),
                of("Slice negative step and clamped end", b -> new Ops(b).slice(in(b, 5, 9), new long[] {-1, 1},
                        new long[] {Long.MIN_VALUE, 100}, new long[] {1, 0}, new long[] {-2, 2})),
                of("Gather 2-D indices", b -> new Ops(b).gather(in(b, 5, 4), b.constant(Tensor.ofLongs(Shape.of(2, 3),
                        new long[] {0, 1, 3, 3, 2, 0})), 1)),
                of("ReduceMean keepdims, ReduceSum all", b -> new Ops(b).reduceSumAll(new Ops(b).reduceMean(
                        in(b, 2, 3, 4), true, 1))),
                of("ReduceMax no keepdims", b -> new Ops(b).reduceMax(in(b, 2, 3, 4), false, 0, 2)),
                of("Unsqueeze then Squeeze", b -> new Ops(b).squeeze(new Ops(b).unsqueeze(in(b, 3, 4), 0, -1), 0)),
                of("Expand and Tile", b -> new Ops(b).tile(new Ops(b).expand(in(b, 3, 1), 2, 3, 4), 1, 2, 1)),
                of("Pad", b -> new Ops(b).pad(in(b, 1, 2, 4, 4), new long[] {0, 0, 1, 2, 0, 0, 3, 0}, null)),
                of("LayerNormalization with Mean and InvStdDev", b -> {
                    List<Value> y = new Ops(b).layerNorm(in(b, 2, 3, 4), in(b, 3, 4), in(b, 3, 4), 1, 1e-5f, 3);
                    return new Ops(b).add(y.get(0), new Ops(b).mul(y.get(1), y.get(2)));
                }),
                of("Softmax and Where", b -> {
                    Ops o = new Ops(b);
                    Value x = in(b, 2, 5);
                    return o.where(o.greater(x, o.scalar(0f)), o.softmax(x, 1), in(b, 5));
                }));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void inferredShapesMatchOrt(Case c) {
        GraphBuilder b = new GraphBuilder("shapes");
        c.build().apply(b);
        List<Value> produced = b.nodes().stream().flatMap(n -> n.outputs().stream()).map(b::value).toList();
        produced.forEach(b::output);
        Random r = new Random(2);
        Map<String, Tensor> feed = new LinkedHashMap<>();
        for (Value v : b.inputs()) {
            feed.put(v.name(), RandomNormal.tensor(r, Shape.of(v.shape().dims())));
        }
        try (GraphSession s = new GraphSession(b.buildModel())) {
            Map<String, Tensor> out = s.run(feed);
            for (Value v : produced) {
                assertEquals(out.get(v.name()).shape(), v.shape(), c.label() + ": " + v.name());
            }
        }
    }

    @Test
    void unknownBatchDimensionPropagates() {
        GraphBuilder b = new GraphBuilder("dynamic");
        Ops o = new Ops(b);
        Value x = b.input("x", DType.FLOAT, Shape.of(-1, 3, 8, 8));
        Value w = b.initializer("w", Tensor.zeros(DType.FLOAT, Shape.of(4, 3, 3, 3)));
        Value y = o.flatten(o.globalAveragePool(o.relu(o.conv2d(x, w, null, 2, 1, 1, 1))), 1);
        assertEquals(Shape.of(-1, 4), y.shape());
        assertEquals(Shape.of(-1, 4), o.reshape(y, -1, 4).shape());
    }

    /** The failure raised while adding the node built by {@code build}. */
    private static OnnxException failure(Function<GraphBuilder, Value> build) {
        return assertThrows(OnnxException.class, () -> build.apply(new GraphBuilder("bad")));
    }

    private static void assertMentions(OnnxException e, String... parts) {
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "'" + p + "' missing from: " + e.getMessage());
        }
    }

    @Test
    void broadcastMismatchNamesTheNode() {
        OnnxException e = failure(b -> new Ops(b).add(in(b, 2, 3), in(b, 4)));
        assertMentions(e, "node 'Add'", "cannot broadcast", "[2, 3]", "[4]");
    }

    @Test
    void convChannelMismatchNamesTheNodeAndShapes() {
        OnnxException e = failure(b -> {
            try (GraphBuilder.Scope s = b.scope("layer1")) {
                return new Ops(b).conv2d(in(b, 1, 3, 8, 8), in(b, 4, 5, 3, 3), null, 1, 1, 1, 1);
            }
        });
        assertMentions(e, "node 'layer1/Conv'", "3 channels", "expects 5");
    }

    @Test
    void otherImpossibleShapesFail() {
        assertMentions(failure(b -> new Ops(b).matmul(in(b, 2, 3), in(b, 4, 5))), "node 'MatMul'", "3 vs 4");
        assertMentions(failure(b -> new Ops(b).reshape(in(b, 2, 3), 4, 2)), "node 'Reshape'", "cannot reshape");
        assertMentions(failure(b -> new Ops(b).concat(List.of(in(b, 2, 3), in(b, 3, 3)), 1)), "node 'Concat'",
                "differ in dimension 0");
        assertMentions(failure(b -> new Ops(b).squeeze(in(b, 2, 3), 1)), "node 'Squeeze'", "size 3");
        assertMentions(failure(b -> new Ops(b).transpose(in(b, 2, 3), 0)), "node 'Transpose'", "rank 2");
        assertMentions(failure(b -> new Ops(b).softmax(in(b, 2, 3), 2)), "node 'Softmax'");
    }

    @Test
    void unknownOperatorNamesNodeAndOperator() {
        OnnxException e = failure(b -> b.op("FancyAttention", in(b, 2)));
        assertMentions(e, "node 'FancyAttention'", "unsupported operator 'FancyAttention'");
    }

    @Test
    void wrongArityNamesTheNode() {
        assertMentions(failure(b -> b.op("MatMul", in(b, 2, 2))), "node 'MatMul'", "needs input 1");
        assertMentions(failure(b -> b.op("Where", Arrays.asList(in(b, 2), null, in(b, 2)), Map.of())),
                "node 'Where'", "needs input 1");
    }

    @Test
    void missingAttributeNamesNodeAndAttribute() {
        assertMentions(failure(b -> b.op("Concat", in(b, 2), in(b, 2))), "'Concat'", "missing attribute 'axis'");
        assertMentions(failure(b -> b.op("MaxPool", in(b, 1, 1, 4, 4))), "'MaxPool'", "'kernel_shape'");
    }
}
