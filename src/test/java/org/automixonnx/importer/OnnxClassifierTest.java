package org.automixonnx.importer;

import static org.automixonnx.testing.TensorAssert.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.automixonnx.graphs.BuildContext;
import org.automixonnx.graphs.EvalGraph;
import org.automixonnx.graphs.GraphIo;
import org.automixonnx.graphs.Mode;
import org.automixonnx.graphs.Role;
import org.automixonnx.graphs.Sgd;
import org.automixonnx.graphs.StepGraph;
import org.automixonnx.graphs.TrainStepGraph;
import org.automixonnx.onnx.DType;
import org.automixonnx.onnx.Graph;
import org.automixonnx.onnx.GraphBuilder;
import org.automixonnx.onnx.Model;
import org.automixonnx.onnx.Node;
import org.automixonnx.onnx.OnnxIO;
import org.automixonnx.onnx.Shape;
import org.automixonnx.onnx.Tensor;
import org.automixonnx.onnx.Value;
import org.automixonnx.runtime.GraphSession;
import org.automixonnx.testing.FixtureFile;
import org.automixonnx.testing.SyntheticImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Import of tools/make_import_fixture.py's torch-exported classifier, and the messages for models we reject. */
class OnnxClassifierTest {
    static final Path MODEL = Path.of("testdata/onnx/user_resnet.onnx");
    static final String TAP = "/Add_output_0";

    @ParameterizedTest
    @ValueSource(strings = {"testdata/onnx/user_resnet.onnx", "testdata/onnx/user_resnet_bn.onnx"})
    void evalLogitsEqualTorchs(String file) throws Exception {
        OnnxClassifier net = OnnxClassifier.load(Path.of(file), TAP);
        assertArrayEquals(new long[] {3, 16, 16}, net.imageShape());
        FixtureFile fx = FixtureFile.read(Path.of("testdata/fixtures/user_resnet_eval.bin"));
        StepGraph eval = new EvalGraph(net, 3, 16, 16).build();
        Map<String, Tensor> feeds = new HashMap<>(eval.initialState());
        feeds.put("x", fx.get("x"));
        feeds.put("y", Tensor.ofLongs(Shape.of(2), new long[] {0, 1}));
        try (GraphSession s = new GraphSession(eval.model())) {
            assertClose("imported eval logits", fx.get("logits"), s.run(feeds).get("logits"), 1e-5);
        }
    }

    @Test
    void weightsBecomeParametersAndBatchNormsTrainingBatchNorms() throws Exception {
        OnnxClassifier net = OnnxClassifier.load(MODEL, TAP);
        BuildContext ctx = new BuildContext(new GraphBuilder("imported"), Mode.TRAIN, 0);
        Value x = ctx.data("x", DType.FLOAT, Shape.of(4, 3, 16, 16));
        List<Value> seen = new ArrayList<>();
        ctx.onTap(TAP, v -> {
            seen.add(v);
            return v;
        });
        assertArrayEquals(new long[] {4, 4}, net.forward(ctx, x).shape().dims());
        assertEquals(1, seen.size());
        assertArrayEquals(new long[] {4, 8, 16, 16}, seen.get(0).shape().dims());
        List<String> params = ctx.states(Role.PARAMETER).stream().map(s -> s.name()).toList();
        assertTrue(params.containsAll(List.of("onnx::Conv_55", "onnx::Conv_56", "b1_bn1.weight", "b1_bn1.bias",
                "b1_conv2.weight", "b2_short.bias", "fc.weight", "fc.bias")), params.toString());
        assertEquals(15, params.size());
        List<String> stats = ctx.states(Role.BN_STATISTIC).stream().map(s -> s.name()).toList();
        assertTrue(stats.containsAll(List.of("b1_bn1.running_mean", "final_bn.running_var",
                "final_bn.num_batches_tracked")), stats.toString());
        assertEquals(2, ctx.builder().composites().size(), "both BatchNormalization nodes are training BN");
        assertTrue(ctx.builder().nodes().stream().noneMatch(n -> n.opType().equals("BatchNormalization")));
    }

    @Test
    void trainingModeExportKeepsEveryBatchNorm() throws Exception {
        OnnxClassifier net = OnnxClassifier.load(Path.of("testdata/onnx/user_resnet_bn.onnx"), TAP);
        BuildContext ctx = new BuildContext(new GraphBuilder("bn"), Mode.TRAIN, 0);
        net.forward(ctx, ctx.data("x", DType.FLOAT, Shape.of(4, 3, 16, 16)));
        assertEquals(5, ctx.builder().composites().size());
        assertTrue(ctx.states(Role.PARAMETER).stream().anyMatch(s -> s.name().equals("stem_bn.weight")));
        // the file's momentum 0.9 (ONNX: weight of the running value) is torch's 0.1: running = 0.9 old + 0.1 batch
        StepGraph step = new TrainStepGraph(net, new Sgd(false), 4, 3, 16, 16).build();
        Map<String, Tensor> feeds = new HashMap<>(step.initialState());
        SyntheticImages.Batch b = new SyntheticImages(4, 3, 16, 0.5f, 1).next(4);
        feeds.put("x", b.x());
        feeds.put("y", b.y());
        feeds.put(Sgd.LR, Tensor.scalar(0f));
        feeds.put(Sgd.MOMENTUM, Tensor.scalar(0f));
        feeds.put(Sgd.WEIGHT_DECAY, Tensor.scalar(0f));
        // two runs from running means that differ by d must end up differing by 0.9 d
        float[] before = step.initialState().get("stem_bn.running_mean").floats();
        float[] shifted = before.clone();
        for (int c = 0; c < shifted.length; c++) {
            shifted[c] += 1f;
        }
        try (GraphSession s = new GraphSession(step.model())) {
            float[] a = s.run(feeds).get(GraphIo.next("stem_bn.running_mean")).floats();
            feeds.put("stem_bn.running_mean", Tensor.ofFloats(Shape.of(before.length), shifted));
            float[] b2 = s.run(feeds).get(GraphIo.next("stem_bn.running_mean")).floats();
            for (int c = 0; c < before.length; c++) {
                assertEquals(0.9f, b2[c] - a[c], 1e-5f, "channel " + c);
            }
        }
    }

    @Test
    void trainStepsLowerTheLoss() throws Exception {
        OnnxClassifier net = OnnxClassifier.load(MODEL, TAP);
        StepGraph step = new TrainStepGraph(net, new Sgd(false), 16, 3, 16, 16).build();
        assertTrue(step.updatedState().stream().anyMatch(io -> io.name().equals("final_bn.running_mean")));
        SyntheticImages data = new SyntheticImages(4, 3, 16, 0.5f, 4);
        Map<String, Tensor> state = new HashMap<>(step.initialState());
        double first = 0;
        double last = 0;
        int steps = 40;
        try (GraphSession s = new GraphSession(step.model())) {
            for (int t = 0; t < steps; t++) {
                SyntheticImages.Batch b = data.next(16);
                Map<String, Tensor> feeds = new HashMap<>(state);
                feeds.put("x", b.x());
                feeds.put("y", b.y());
                feeds.put(Sgd.LR, Tensor.scalar(0.05f));
                feeds.put(Sgd.MOMENTUM, Tensor.scalar(0.9f));
                feeds.put(Sgd.WEIGHT_DECAY, Tensor.scalar(1e-4f));
                Map<String, Tensor> out = s.run(feeds);
                for (GraphIo io : step.updatedState()) {
                    state.put(io.name(), out.get(GraphIo.next(io.name())));
                }
                float loss = out.get("loss").floats()[0];
                assertTrue(Float.isFinite(loss));
                first += t < 5 ? loss / 5 : 0;
                last += t >= steps - 5 ? loss / 5 : 0;
            }
        }
        assertTrue(last < 0.5 * first, "loss fell from " + first + " to " + last);
    }

    @Test
    void featuresStopAtTheTap() throws Exception {
        OnnxClassifier net = OnnxClassifier.load(MODEL, TAP);
        BuildContext ctx = new BuildContext(new GraphBuilder("features"), Mode.EVAL, 0);
        Value f = net.features(ctx, ctx.data("x", DType.FLOAT, Shape.of(2, 3, 16, 16)), TAP);
        assertArrayEquals(new long[] {2, 8, 16, 16}, f.shape().dims());
        assertTrue(ctx.states().stream().noneMatch(s -> s.name().startsWith("fc.")));
    }

    // ------------------------------------------------------------------ rejected models

    private static Model userModel() throws Exception {
        return OnnxIO.read(MODEL);
    }

    private static Model withNodes(Model m, UnaryOperator<Node> change) {
        Graph g = m.graph();
        List<Node> nodes = g.nodes().stream().map(change).toList();
        return new Model(new Graph(g.name(), g.inputs(), g.outputs(), g.initializers(), nodes, g.values()), m.opset(),
                Map.of());
    }

    private static Model withInput(Model m, Value input) {
        Graph g = m.graph();
        return new Model(new Graph(g.name(), List.of(input), g.outputs(), g.initializers(), g.nodes(), g.values()),
                m.opset(), Map.of());
    }

    private static String rejection(Model m, String tap) {
        return assertThrows(IllegalArgumentException.class, () -> OnnxClassifier.of(m, tap, "user.onnx")).getMessage();
    }

    @Test
    void unsupportedOperatorsAreNamedWithTheirNodes() throws Exception {
        Model m = withNodes(userModel(), n -> n.opType().equals("Relu")
                ? new Node(n.name(), "HardSwish", "", n.inputs(), n.outputs(), Map.of()) : n);
        String msg = rejection(m, null);
        assertTrue(msg.contains("user.onnx") && msg.contains("HardSwish (node ") && msg.contains("4 more")
                && msg.contains("supported: "), msg);
        Model custom = withNodes(userModel(), n -> n.opType().equals("Flatten")
                ? new Node(n.name(), "Flatten", "com.example", n.inputs(), n.outputs(), Map.of()) : n);
        assertTrue(rejection(custom, null).contains("com.example:Flatten"));
    }

    @Test
    void inputsThatAreNotFloatImagesAreRejected() throws Exception {
        Model m = userModel();
        String dyn = rejection(withInput(m, new Value("image", DType.FLOAT,
                Shape.symbolic(new long[] {-1, 3, -1, -1}, new String[] {"batch", null, "h", "w"}))), null);
        assertTrue(dyn.contains("unknown H dimension"), dyn);
        String ints = rejection(withInput(m, new Value("image", DType.INT64, Shape.of(1, 3, 16, 16))), null);
        assertTrue(ints.contains("no float NCHW image input"), ints);
        String flat = rejection(withInput(m, new Value("image", DType.FLOAT, Shape.of(1, 768))), null);
        assertTrue(flat.contains("no float NCHW image input"), flat);
        String old = rejection(new Model(m.graph(), 11, Map.of()), null);
        assertTrue(old.contains("opset 11"), old);
        String tap = rejection(m, "layer3");
        assertTrue(tap.contains("no tensor named 'layer3'") && tap.contains(TAP), tap);
    }

    @Test
    void wrongImageSizeIsReported() throws Exception {
        OnnxClassifier net = OnnxClassifier.load(MODEL, null);
        BuildContext ctx = new BuildContext(new GraphBuilder("size"), Mode.EVAL, 0);
        Value x = ctx.data("x", DType.FLOAT, Shape.of(2, 1, 16, 16));
        String msg = assertThrows(IllegalArgumentException.class, () -> net.forward(ctx, x)).getMessage();
        assertTrue(msg.contains("expects images"), msg);
        assertThrows(IllegalArgumentException.class, () -> net.features(ctx, x, "l3"));
    }
}
