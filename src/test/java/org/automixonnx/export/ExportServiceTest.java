package org.automixonnx.export;

import static org.automixonnx.testing.TensorAssert.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.automixonnx.graphs.EvalGraph;
import org.automixonnx.graphs.Network;
import org.automixonnx.graphs.StepGraph;
import org.automixonnx.models.ImageClassifier;
import org.automixonnx.models.Head;
import org.automixonnx.models.ModelZoo;
import org.automixonnx.onnx.DType;
import org.automixonnx.onnx.Model;
import org.automixonnx.onnx.Shape;
import org.automixonnx.onnx.Tensor;
import org.automixonnx.runtime.GraphSession;
import org.automixonnx.testing.RandomNormal;
import org.automixonnx.testing.TrainedState;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The exported classifier computes what the training side's evaluation graph computes. */
class ExportServiceTest {
    static final int SIZE = 16;

    static Map<String, Tensor> randomState(Map<String, Tensor> initial, long seed) {
        return TrainedState.randomise(initial, seed);
    }

    public static Tensor images(int n, long seed) {
        return RandomNormal.tensor(new Random(seed), Shape.of(n, 3, SIZE, SIZE));
    }

    static Tensor evalLogits(Network net, Map<String, Tensor> state, Tensor x) {
        StepGraph eval = new EvalGraph(net, 3, SIZE, SIZE).initialState(state).build();
        Map<String, Tensor> feeds = new HashMap<>(eval.initialState());
        feeds.put("x", x);
        feeds.put("y", Tensor.ofLongs(Shape.of(x.shape().dim(0)), new long[(int) x.shape().dim(0)]));
        try (GraphSession s = new GraphSession(eval.model())) {
            return s.run(feeds).get("logits");
        }
    }

    static Map<String, Tensor> run(Model m, Tensor x) {
        try (GraphSession s = new GraphSession(m)) {
            return s.run(Map.of("input", x));
        }
    }

    /** Random state of every tensor of the network, both heads included when it has two. */
    private static Map<String, Tensor> stateOf(ImageClassifier net, long seed) {
        Network all = (ctx, x) -> {
            var pooled = net.pooledFeatures(ctx, x);
            if (net.twoHeads()) {
                net.head(ctx, Head.MIX, pooled);
            }
            return net.head(ctx, Head.ONE, pooled);
        };
        return randomState(new EvalGraph(all, 3, SIZE, SIZE).seed(seed).build().initialState(), seed);
    }

    @ParameterizedTest
    @ValueSource(strings = {"resnet18-cifar-w0.0625", "resnext50-32x4d-w0.125", "mobilenetv2-w0.1",
            "wrn-16-2-w0.5"})
    void exportMatchesEvalGraphWithAndWithoutFolding(String name) {
        ImageClassifier net = ModelZoo.create(name, 3, 5);
        Map<String, Tensor> state = stateOf(net, 7);
        Tensor x = images(3, 1);
        Tensor expected = evalLogits(net, state, x);
        ExportOptions o = ExportOptions.defaults(name);
        Model plain = new ExportService().build(net, state, o, 3, SIZE, SIZE);
        assertClose(name + " export", expected, run(plain, x).get("logits"), 1e-5);
        Model folded = new ExportService().build(net, state, o.withFoldBn(true), 3, SIZE, SIZE);
        assertClose(name + " folded export", expected, run(folded, x).get("logits"), 1e-4);
        assertFalse(folded.graph().opHistogram().containsKey("Sqrt"), "BN scale chains are gone");
        if (!name.startsWith("wrn")) {  // post-activation nets: every BN follows a conv and disappears
            assertFalse(folded.graph().opHistogram().containsKey("Mul"), folded.graph().opHistogram().toString());
        }
        assertTrue(folded.graph().nodes().size() < plain.graph().nodes().size());
    }

    @Test
    void dynamicBatchSoftmaxAndMetadata() {
        ImageClassifier net = ModelZoo.create("resnet18-cifar-w0.0625", 3, 4);
        Map<String, Tensor> state = stateOf(net, 3);
        ExportOptions o = ExportOptions.defaults("resnet18-cifar-w0.0625").withSoftmax(true)
                .withDataInfo("mixup", List.of("a", "b", "c", "d"), List.of(0.5, 0.5, 0.5), List.of(0.25, 0.25, 0.25));
        Model m = new ExportService().build(net, state, o, 3, SIZE, SIZE);
        assertEquals(List.of("input"), m.graph().inputs().stream().map(v -> v.name()).toList());
        assertEquals(List.of("logits", "probabilities"), m.graph().outputs().stream().map(v -> v.name()).toList());
        assertEquals("N", m.graph().inputs().get(0).shape().param(0));
        for (int n : new int[] {1, 5}) {
            Tensor x = images(n, n);
            Map<String, Tensor> out = run(m, x);
            assertClose("batch " + n, evalLogits(net, state, x), out.get("logits"), 1e-5);
            float[] p = out.get("probabilities").floats();
            for (int i = 0; i < n; i++) {
                assertEquals(1.0, p[4 * i] + p[4 * i + 1] + p[4 * i + 2] + p[4 * i + 3], 1e-5);
            }
        }
        assertEquals("[\"a\",\"b\",\"c\",\"d\"]", m.metadata().get("class_names"));
        assertEquals("3,16,16", m.metadata().get("input_size"));
        assertEquals("[0.25,0.25,0.25]", m.metadata().get("std"));
        assertEquals("mixup", m.metadata().get("method"));
        assertEquals("resnet18-cifar-w0.0625", m.metadata().get("architecture"));
    }

    @Test
    void encoderAndHeadSelectTheRightTensors() {
        ImageClassifier net = ModelZoo.create("resnet18-cifar-w0.0625", 3, 4, true);
        Map<String, Tensor> q = stateOf(net, 1);
        Map<String, Tensor> k = stateOf(net, 2);
        Map<String, Tensor> run = new LinkedHashMap<>(q);
        k.forEach((n, t) -> run.put(Encoder.K.prefix() + n, t));
        run.put("momentum.fc.weight", Tensor.scalar(0f));  // unrelated state is ignored
        Tensor x = images(2, 9);
        ExportOptions o = ExportOptions.defaults("r");
        assertEquals(Encoder.K, Encoder.defaultFor(run));
        Network mix = (ctx, in) -> net.logits(ctx, in, Head.MIX);
        assertClose("k one", evalLogits(net, k, x),
                run(new ExportService().build(net, run, o.withEncoder(Encoder.K), 3, SIZE, SIZE), x).get("logits"), 1e-5);
        assertClose("q mix", evalLogits(mix, q, x), run(new ExportService().build(net, run,
                o.withEncoder(Encoder.Q).withHead(Head.MIX), 3, SIZE, SIZE), x).get("logits"), 1e-5);
        var e = assertThrows(IllegalArgumentException.class,
                () -> new ExportService().build(net, q, o.withEncoder(Encoder.K), 3, SIZE, SIZE));
        assertTrue(e.getMessage().contains("--encoder q"), e.getMessage());
    }
}
