package org.automixonnx.models;

import static org.automixonnx.testing.TensorAssert.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;
import org.automixonnx.graphs.BuildContext;
import org.automixonnx.graphs.EvalGraph;
import org.automixonnx.graphs.ExportGraph;
import org.automixonnx.graphs.GraphIo;
import org.automixonnx.graphs.Mode;
import org.automixonnx.graphs.Role;
import org.automixonnx.graphs.Sgd;
import org.automixonnx.graphs.StepGraph;
import org.automixonnx.graphs.TrainStepGraph;
import org.automixonnx.onnx.DType;
import org.automixonnx.onnx.GraphBuilder;
import org.automixonnx.onnx.Shape;
import org.automixonnx.onnx.Tensor;
import org.automixonnx.onnx.Value;
import org.automixonnx.runtime.GraphSession;
import org.automixonnx.testing.FixtureFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The ViT family: published DeiT parameter counts (tools/make_vit_fixture.py counts), one SGD step of a small ViT
 * against PyTorch (float64 reference from tools/make_vit_fixture.py) at the ResNet fixture's tolerance, names,
 * taps, and the messages for sizes it cannot build.
 */
class VisionTransformerTest {
    /** As ResNetReferenceTest: within 1e-5 of the tensor's largest reference magnitude. */
    private static final double REL = 1e-5;
    private static FixtureFile fx;

    @BeforeAll
    static void read() throws Exception {
        fx = FixtureFile.read(Path.of("testdata/fixtures/vit_small_sgd.bin"));
    }

    private static VisionTransformer fixtureNet() {
        var m = fx.meta();
        return new VisionTransformer(m.get("width").asInt(), m.get("depth").asInt(), m.get("heads").asInt(),
                m.get("patch").asInt(), m.get("classes").asInt(), false);
    }

    private static BuildContext build(ImageClassifier net, int channels, int size) {
        BuildContext ctx = new BuildContext(new GraphBuilder("vit"), Mode.TRAIN, 1);
        Value logits = net.forward(ctx, ctx.data("x", DType.FLOAT, Shape.of(2, channels, size, size)));
        assertArrayEquals(new long[] {2, net.numClasses()}, logits.shape().dims());
        return ctx;
    }

    @ParameterizedTest
    @CsvSource({"deit-s, 22050664", "deit-t, 5717416", "vit-tiny, 5717416"})
    void parameterCountsArePublishedOnes(String name, long expected) {
        BuildContext ctx = build(ModelZoo.create(name, 3, 1000), 3, 224);
        assertEquals(expected, ctx.states(Role.PARAMETER).stream().mapToLong(s -> s.initial().numel()).sum(), name);
    }

    @Test
    void stateNamesAreTimmNames() {
        int size = fx.meta().get("size").asInt();
        BuildContext ctx = build(fixtureNet(), fx.meta().get("channels").asInt(), size);
        TreeSet<String> ours = new TreeSet<>();
        ctx.states().forEach(s -> ours.add(s.name()));
        assertEquals(new TreeSet<>(fx.withPrefix("init.").keySet()), ours);
    }

    @Test
    void oneSgdStepMatchesPyTorch() {
        var m = fx.meta();
        int size = m.get("size").asInt();
        StepGraph step = new TrainStepGraph(fixtureNet(), new Sgd(false), m.get("batch").asInt(),
                m.get("channels").asInt(), size, size).exposeGradients(true).initialState(fx.withPrefix("init."))
                .build();
        Map<String, Tensor> feeds = new HashMap<>(step.initialState());
        feeds.put("x", fx.get("x"));
        feeds.put("y", fx.get("y"));
        feeds.put(Sgd.LR, Tensor.scalar((float) m.get("lr").asDouble()));
        feeds.put(Sgd.MOMENTUM, Tensor.scalar((float) m.get("momentum").asDouble()));
        feeds.put(Sgd.WEIGHT_DECAY, Tensor.scalar((float) m.get("weight_decay").asDouble()));
        try (GraphSession s = new GraphSession(step.model())) {
            Map<String, Tensor> out = s.run(feeds);
            assertClose("loss", fx.get("loss"), out.get("loss"), REL);
            assertClose("logits", fx.get("logits"), out.get("logits"), REL);
            fx.withPrefix("grad.").forEach((name, ref) ->
                    assertClose("grad " + name, ref, out.get(GraphIo.gradient(name)), REL));
            fx.withPrefix("next.").forEach((name, ref) ->
                    assertClose("next " + name, ref, out.get(GraphIo.next(name)), REL));
        }
    }

    /** The exported graph (symbolic batch) computes the same logits as the training graph did. */
    @Test
    void exportedModelMatchesPyTorch() {
        int size = fx.meta().get("size").asInt();
        var model = ExportGraph.build(fixtureNet(), fx.withPrefix("init."), fx.meta().get("channels").asInt(), size,
                size);
        try (GraphSession s = new GraphSession(model)) {
            assertClose("exported logits", fx.get("logits"), s.run(Map.of("input", fx.get("x"))).get("logits"), REL);
        }
    }

    @Test
    void namesSetDepthPatchAndWidth() {
        VisionTransformer small = (VisionTransformer) ModelZoo.create("deit-s-d4-p4-w0.25", 1, 10);
        assertEquals(96, small.embedDim());
        assertEquals(4, small.depth());
        assertEquals(6, small.heads());
        assertEquals(4, small.patch());
        VisionTransformer tiny = (VisionTransformer) ModelZoo.create("DeiT-T-p8", 3, 10);
        assertEquals(192, tiny.embedDim());
        assertEquals(12, tiny.depth());
        assertEquals(8, tiny.patch());
        assertEquals(3, ((VisionTransformer) ModelZoo.create("vit-tiny-d3", 3, 10)).depth());
    }

    /** Taps are the patch tokens as maps after ceil(k depth / 4) blocks; l3 stops after block 3 of 4. */
    @Test
    void tapsArePatchTokenMaps() {
        ImageClassifier net = ModelZoo.create("deit-s-d4-p4-w0.25", 1, 10);
        BuildContext ctx = build(net, 1, 28);
        for (String tap : StagedClassifier.TAPS) {
            assertArrayEquals(new long[] {2, 96, 7, 7}, ctx.taps().get(tap).shape().dims(), tap);
        }
        BuildContext upToL3 = new BuildContext(new GraphBuilder("l3"), Mode.EVAL, 1);
        net.features(upToL3, upToL3.data("x", DType.FLOAT, Shape.of(2, 1, 28, 28)), "l3");
        assertTrue(upToL3.states().stream().anyMatch(s -> s.name().startsWith("blocks.2.")));
        assertTrue(upToL3.states().stream().noneMatch(s -> s.name().startsWith("blocks.3.")));
        assertThrows(IllegalArgumentException.class, () -> net.features(upToL3, upToL3.data("y", DType.FLOAT,
                Shape.of(2, 1, 28, 28)), "l5"));
    }

    /**
     * A hook replacing a tap replaces the class token too: zeroing the hidden state at l2 leaves logits that no
     * longer depend on the image.
     */
    @Test
    void replacingATapReplacesTheClassTokenToo() {
        ImageClassifier net = ModelZoo.create("deit-t-d2-p4-w0.25", 3, 5);
        BuildContext ctx = new BuildContext(new GraphBuilder("zeroed"), Mode.EVAL, 1);
        ctx.onTap("l2", h -> ctx.ops().mul(h, 0f));
        Value x = ctx.data("x", DType.FLOAT, Shape.of(2, 3, 16, 16));
        ctx.output(net.forward(ctx, x), "logits", Role.METRIC);
        StepGraph g = ctx.finish();
        Map<String, Tensor> feeds = new HashMap<>(g.initialState());
        float[] pixels = new float[2 * 3 * 16 * 16];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = i < pixels.length / 2 ? (float) Math.sin(i) : (float) Math.cos(3 * i);
        }
        feeds.put("x", Tensor.ofFloats(Shape.of(2, 3, 16, 16), pixels));
        try (GraphSession s = new GraphSession(g.model())) {
            float[] logits = s.run(feeds).get("logits").floats();
            for (int k = 0; k < 5; k++) {
                assertEquals(logits[k], logits[5 + k], 1e-6, "class " + k);
            }
        }
    }

    @Test
    void sizesItCannotBuildAreNamed() {
        var patch = assertThrows(IllegalArgumentException.class,
                () -> build(ModelZoo.create("deit-s-w0.25", 1, 10), 1, 28));
        assertEquals("a ViT with 16 px patches needs an image size divisible by 16, got 28x28 (set the patch size with"
                + " -p<patch> in the model name, e.g. deit-s-p4 for 28 or 32 px images)", patch.getMessage());
        var heads = assertThrows(IllegalArgumentException.class, () -> new VisionTransformer(32, 2, 3, 4, 10, false));
        assertEquals("a ViT's 3 attention heads must divide its embedding width 32", heads.getMessage());
        var depth = assertThrows(IllegalArgumentException.class, () -> ModelZoo.create("deit-s-d0", 3, 10));
        assertEquals("a ViT needs at least one block, got depth 0", depth.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ModelZoo.create("deit-s-p4-d2", 3, 10));
    }

    /** Eval and train graphs agree (no dropout, no batch statistics). */
    @Test
    void evalGraphComputesTheTrainingLogits() {
        int size = fx.meta().get("size").asInt();
        StepGraph eval = new EvalGraph(fixtureNet(), fx.meta().get("channels").asInt(), size, size)
                .initialState(fx.withPrefix("init.")).build();
        Map<String, Tensor> feeds = new HashMap<>(eval.initialState());
        feeds.put("x", fx.get("x"));
        feeds.put("y", fx.get("y"));
        try (GraphSession s = new GraphSession(eval.model())) {
            assertClose("eval logits", fx.get("logits"), s.run(feeds).get("logits"), REL);
        }
    }
}
