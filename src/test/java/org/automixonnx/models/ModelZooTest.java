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
import org.automixonnx.graphs.Mode;
import org.automixonnx.graphs.Role;
import org.automixonnx.onnx.DType;
import org.automixonnx.onnx.GraphBuilder;
import org.automixonnx.onnx.Shape;
import org.automixonnx.onnx.Tensor;
import org.automixonnx.onnx.Value;
import org.automixonnx.runtime.GraphSession;
import org.automixonnx.testing.FixtureFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Zoo architectures: published parameter counts (verified with tools/zoo_reference.py counts), forward
 * outputs against PyTorch reference models with torchvision's structure, taps and heads.
 */
class ModelZooTest {
    static BuildContext build(ImageClassifier net, Mode mode, int channels, int size) {
        BuildContext ctx = new BuildContext(new GraphBuilder("zoo"), mode, 1);
        Value logits = net.forward(ctx, ctx.data("x", DType.FLOAT, Shape.of(2, channels, size, size)));
        assertArrayEquals(new long[] {2, net.numClasses()}, logits.shape().dims());
        return ctx;
    }

    private static long parameters(BuildContext ctx) {
        return ctx.states(Role.PARAMETER).stream().mapToLong(s -> s.initial().numel()).sum();
    }

    @ParameterizedTest
    @CsvSource({
        "resnet18-cifar, 10, 32, 11173962",
        "resnet34, 1000, 224, 21797672",
        "resnet50, 1000, 224, 25557032",
        "resnet101, 1000, 224, 44549160",
        "resnext50-32x4d, 1000, 224, 25028904",
        "resnext101-32x4d, 1000, 224, 44177704",
        "wrn-28-10, 10, 32, 36479194",
        "wrn-28-8, 100, 32, 23401012",
        "mobilenetv2, 1000, 224, 3504872",
    })
    void parameterCountsArePublishedOnes(String name, int classes, int size, long expected) {
        assertEquals(expected, parameters(build(ModelZoo.create(name, 3, classes), Mode.EVAL, 3, size)), name);
    }

    /** Eval-mode logits of narrow ResNet-18, MobileNetV2, ResNeXt-50 and WRN against tools/zoo_reference.py. */
    @ParameterizedTest
    @ValueSource(strings = {"resnet18", "mobilenetv2", "resnext", "wrn"})
    void forwardMatchesPyTorch(String fixture) throws Exception {
        String file = "testdata/fixtures/zoo_" + fixture + "_forward.bin";
        FixtureFile fx = FixtureFile.read(Path.of(file));
        var m = fx.meta();
        int c = m.get("channels").asInt();
        int size = m.get("size").asInt();
        ImageClassifier net = ModelZoo.create(m.get("model").asText(), c, m.get("classes").asInt());
        Map<String, Tensor> state = fx.withPrefix("state.");
        TreeSet<String> ours = new TreeSet<>();
        build(net, Mode.TRAIN, c, size).states().forEach(s -> ours.add(s.name()));
        assertEquals(new TreeSet<>(state.keySet()), ours, "state names are torchvision's");

        var eval = new EvalGraph(net, c, size, size).initialState(state).build();
        Map<String, Tensor> feeds = new HashMap<>(eval.initialState());
        feeds.put("x", fx.get("x"));
        feeds.put("y", Tensor.ofLongs(Shape.of(2), new long[] {0, 1}));
        try (GraphSession s = new GraphSession(eval.model())) {
            assertClose(m.get("model").asText() + " logits", fx.get("logits"), s.run(feeds).get("logits"), 1e-4);
        }
    }

    @Test
    void twoHeadsShareTheBackbone() {
        ImageClassifier net = ModelZoo.create("resnet50-cifar-w0.125", 1, 7, true);
        BuildContext ctx = new BuildContext(new GraphBuilder("heads"), Mode.TRAIN, 1);
        Value x = ctx.data("x", DType.FLOAT, Shape.of(2, 1, 16, 16));
        Value pooled = net.pooledFeatures(ctx, x);
        assertArrayEquals(new long[] {2, 7}, net.head(ctx, Head.ONE, pooled).shape().dims());
        assertArrayEquals(new long[] {2, 7}, net.head(ctx, Head.MIX, pooled).shape().dims());
        ctx.stateVar("head_one.weight");
        ctx.stateVar("head_mix.bias");
        assertTrue(ctx.states().stream().noneMatch(s -> s.name().startsWith("fc.")));
        // bottleneck: 8 planes * 4 = 32 channels after stage 1, 256 after stage 4
        assertArrayEquals(new long[] {2, 32, 16, 16}, ctx.taps().get("l1").shape().dims());
        assertArrayEquals(new long[] {2, 256, 2, 2}, ctx.taps().get("l4").shape().dims());
        assertThrows(IllegalArgumentException.class,
                () -> net.withTwoHeads(false).head(ctx, Head.MIX, pooled));
    }

    @Test
    void featuresStopAtTheRequestedTap() {
        ImageClassifier net = ModelZoo.create("mobilenetv2-w0.25", 3, 10);
        BuildContext ctx = new BuildContext(new GraphBuilder("taps"), Mode.EVAL, 1);
        Value l3 = net.features(ctx, ctx.data("x", DType.FLOAT, Shape.of(2, 3, 64, 64)), "l3");
        assertArrayEquals(new long[] {2, 24, 4, 4}, l3.shape().dims());
        assertEquals(3, ctx.taps().size());
        assertTrue(ctx.states().stream().noneMatch(s -> s.name().startsWith("features.14")));
        assertThrows(IllegalArgumentException.class, () -> net.features(ctx, l3, "l5"));
    }

    @Test
    void namesAreParsedAndBadNamesExplained() {
        assertTrue(ModelZoo.create("resnet18-cifar-w0.25", 3, 10) instanceof ResNet r
                && r.config().baseWidth() == 16 && r.config().stem() == ResNetConfig.Stem.CIFAR);
        assertTrue(ModelZoo.create("resnext50-32x4d-w0.25", 3, 10) instanceof ResNet r
                && r.config().effectiveGroups() == 8 && r.config().bottleneckWidth(1) == 32);
        var e = assertThrows(IllegalArgumentException.class, () -> ModelZoo.create("vgg16", 3, 10));
        assertTrue(e.getMessage().contains("wrn-28-10"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ModelZoo.create("resnet18-w0", 3, 10));
        assertThrows(IllegalArgumentException.class, () -> ModelZoo.create("wrn-27-10", 3, 10));
    }

    @Test
    void grayscaleInputAndInitRecipe() {
        BuildContext ctx = build(ModelZoo.create("wrn-28-10-w0.1", 1, 5), Mode.EVAL, 1, 16);
        assertArrayEquals(new long[] {2, 1, 3, 3}, ctx.stateVar("conv1.weight").input().shape().dims());
        for (float f : ctx.stateVar("fc.bias").initial().floats()) {
            assertEquals(0f, f);
        }
        for (float f : ctx.stateVar("layer1.0.bn1.weight").initial().floats()) {
            assertEquals(1f, f);
        }
        BuildContext mb = build(ModelZoo.create("mobilenetv2", 3, 10), Mode.EVAL, 3, 32);
        float[] w = mb.stateVar("features.18.0.weight").initial().floats();  // 1280 x 320 x 1 x 1
        double s2 = 0;
        for (float f : w) {
            s2 += (double) f * f;
        }
        assertEquals(Math.sqrt(2.0 / 1280), Math.sqrt(s2 / w.length), 0.02 * Math.sqrt(2.0 / 1280));
    }
}
