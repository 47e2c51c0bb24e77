package org.automixonnx.models;

import static org.automixonnx.testing.TensorAssert.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;
import org.automixonnx.graphs.BuildContext;
import org.automixonnx.graphs.ConvLowering;
import org.automixonnx.graphs.EvalGraph;
import org.automixonnx.graphs.ExportGraph;
import org.automixonnx.graphs.GraphIo;
import org.automixonnx.graphs.Mode;
import org.automixonnx.graphs.Sgd;
import org.automixonnx.graphs.StepGraph;
import org.automixonnx.graphs.TrainStepGraph;
import org.automixonnx.onnx.DType;
import org.automixonnx.onnx.GraphBuilder;
import org.automixonnx.onnx.Shape;
import org.automixonnx.onnx.Tensor;
import org.automixonnx.runtime.GraphSession;
import org.automixonnx.testing.FixtureFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Two SGD train steps of a small CIFAR ResNet against PyTorch (float64 reference from
 * tools/make_resnet_fixture.py): loss, logits, every parameter gradient, parameters after two steps
 * (through our own momentum buffers) and BatchNorm running statistics, each within 1e-5 of the
 * tensor's largest reference magnitude.
 */
class ResNetReferenceTest {
    private static final double REL = 1e-5;
    private static FixtureFile fx;
    private static ResNetConfig config;

    @BeforeAll
    static void build() throws Exception {
        fx = FixtureFile.read(Path.of("testdata/fixtures/resnet_small_sgd.bin"));
        config = fx.resNetConfig();
    }

    private static StepGraph trainStep(ConvLowering lowering) {
        var m = fx.meta();
        int size = m.get("size").asInt();
        return new TrainStepGraph(new ResNet(config), new Sgd(m.get("nesterov").asBoolean()), m.get("batch").asInt(),
                config.inChannels(), size, size).exposeGradients(true).initialState(fx.withPrefix("init."))
                .convLowering(lowering).build();
    }

    @Test
    void stateNamesAreTorchvisionNames() {
        int size = fx.meta().get("size").asInt();
        BuildContext ctx = new BuildContext(new GraphBuilder("names"), Mode.TRAIN, 0);
        new ResNet(config).forward(ctx, ctx.data("x", DType.FLOAT, Shape.of(2, config.inChannels(), size, size)));
        TreeSet<String> ours = new TreeSet<>();
        ctx.states().forEach(sv -> ours.add(sv.name()));
        assertEquals(new TreeSet<>(fx.withPrefix("init.").keySet()), ours);
    }

    /**
     * AUTO keeps ORT's Conv and the batch GEMM at this width; WINOGRAD_ANY_WIDTH puts Winograd in every stage;
     * DIRECT (CUDA's) is ORT's Conv throughout.
     */
    @ParameterizedTest
    @EnumSource(ConvLowering.class)
    void twoStepsMatchPyTorch(ConvLowering lowering) {
        StepGraph step = trainStep(lowering);
        // the stem, layer1's two convs and the second conv of each later stage (the first is strided)
        assertEquals(lowering == ConvLowering.WINOGRAD_ANY_WIDTH ? 6 : 0,
                ResNetTest.winogradConvs(step.model().graph().nodes()), "Winograd convs in the step graph");
        Map<String, Tensor> state = new HashMap<>(step.initialState());
        try (GraphSession s = new GraphSession(step.model())) {
            Map<String, Tensor> out1 = s.run(feeds(state, 1));
            assertClose("step1 loss", fx.get("step1.loss"), out1.get("loss"), REL);
            assertClose("step1 logits", fx.get("step1.logits"), out1.get("logits"), REL);
            fx.withPrefix("step1.grad.").forEach((name, ref) ->
                    assertClose("grad " + name, ref, out1.get(GraphIo.gradient(name)), REL));
            fx.withPrefix("step1.next.").forEach((name, ref) ->
                    assertClose("step1 " + name, ref, out1.get(GraphIo.next(name)), REL));

            for (GraphIo io : step.updatedState()) {
                state.put(io.name(), out1.get(GraphIo.next(io.name())));
            }
            Map<String, Tensor> out2 = s.run(feeds(state, 2));
            assertClose("step2 loss", fx.get("step2.loss"), out2.get("loss"), REL);
            fx.withPrefix("step2.next.").forEach((name, ref) ->
                    assertClose("step2 " + name, ref, out2.get(GraphIo.next(name)), REL));
        }
    }

    @Test
    void evalGraphUsesRunningStatistics() {
        int size = fx.meta().get("size").asInt();
        StepGraph eval = new EvalGraph(new ResNet(config), config.inChannels(), size, size)
                .initialState(fx.withPrefix("step2.next.")).build();
        Map<String, Tensor> f = new HashMap<>(eval.initialState());
        f.put("x", fx.get("step1.x"));
        f.put("y", fx.get("step1.y"));
        try (GraphSession s = new GraphSession(eval.model())) {
            assertClose("eval logits", fx.get("eval.logits"), s.run(f).get("logits"), REL);
        }
    }

    @Test
    void exportedModelMatchesPyTorchEvalWithBakedWeights() {
        int size = fx.meta().get("size").asInt();
        var model = ExportGraph.build(new ResNet(config), fx.withPrefix("step2.next."), config.inChannels(), size,
                size);
        assertEquals(1, model.graph().inputs().size());
        try (GraphSession s = new GraphSession(model)) {
            assertClose("exported logits", fx.get("eval.logits"), s.run(Map.of("input", fx.get("step1.x")))
                    .get("logits"), REL);
        }
    }

    private Map<String, Tensor> feeds(Map<String, Tensor> state, int stepNo) {
        var m = fx.meta();
        Map<String, Tensor> f = new HashMap<>(state);
        f.put("x", fx.get("step" + stepNo + ".x"));
        f.put("y", fx.get("step" + stepNo + ".y"));
        f.put(Sgd.LR, Tensor.scalar((float) m.get("lr").asDouble()));
        f.put(Sgd.MOMENTUM, Tensor.scalar((float) m.get("momentum").asDouble()));
        f.put(Sgd.WEIGHT_DECAY, Tensor.scalar((float) m.get("weight_decay").asDouble()));
        return f;
    }
}
