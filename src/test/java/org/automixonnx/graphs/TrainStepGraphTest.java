package org.automixonnx.graphs;

import static org.automixonnx.testing.TensorAssert.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.automixonnx.models.nn.BatchNorm2d;
import org.automixonnx.models.nn.Layers;
import org.automixonnx.onnx.Shape;
import org.automixonnx.onnx.Tensor;
import org.automixonnx.runtime.GraphSession;
import org.automixonnx.testing.RandomNormal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Interface (inputs, outputs, roles, manifest) and update arithmetic of the train-step builder. */
class TrainStepGraphTest {
    /** conv -> BN -> ReLU -> pool -> linear: small, but with every kind of state. */
    static final Network TINY = (ctx, x) -> {
        var h = Layers.conv2d(ctx, "conv1", x, 4, 3, 1, 1, Initializer.kaimingNormalFanOut());
        h = Layers.relu(ctx, BatchNorm2d.apply(ctx, "bn1", h, Initializer.constant(1f)));
        return Layers.linear(ctx, "fc", Layers.globalAvgPoolFlatten(ctx, h), 3, Initializer.normal(0.1),
                Initializer.constant(0f));
    };

    private static StepGraph build(Optimizer opt) {
        return new TrainStepGraph(TINY, opt, 5, 2, 6, 6).exposeGradients(true).seed(9).build();
    }

    @Test
    void inputsAndOutputsCarryRolesAndFollowTheNamingRule(@TempDir Path dir) throws Exception {
        StepGraph g = build(new Sgd(false));
        Map<String, Role> in = g.inputs().stream().collect(Collectors.toMap(GraphIo::name, GraphIo::role));
        assertEquals(Role.DATA, in.get("x"));
        assertEquals(Role.DATA, in.get("y"));
        assertEquals(Role.HYPER_PARAMETER, in.get("hp.lr"));
        assertEquals(Role.HYPER_PARAMETER, in.get("hp.momentum"));
        assertEquals(Role.HYPER_PARAMETER, in.get("hp.weight_decay"));
        assertEquals(Role.PARAMETER, in.get("conv1.weight"));
        assertEquals(Role.OPTIMIZER_STATE, in.get("conv1.weight.momentum_buffer"));
        assertEquals(Role.BN_STATISTIC, in.get("bn1.num_batches_tracked"));
        assertEquals(Set.of("conv1.weight", "bn1.weight", "bn1.bias", "fc.weight", "fc.bias"),
                g.inputsWithRole(Role.PARAMETER).stream().map(GraphIo::name).collect(Collectors.toSet()));

        Set<String> outs = g.outputs().stream().map(GraphIo::name).collect(Collectors.toSet());
        assertTrue(outs.containsAll(List.of("loss", "correct", "logits", "grad.fc.bias")));
        assertEquals(g.stateInputs().size(), g.updatedState().size(), "every state has a .next output");
        assertEquals(g.stateInputs().stream().map(GraphIo::name).collect(Collectors.toSet()),
                g.initialState().keySet());

        Manifest.writeAll(List.of(g), dir);
        JsonNode m = new ObjectMapper().readTree(Files.readString(dir.resolve(Manifest.FILE))).get("graphs").get(0);
        assertEquals(g.inputs().size(), m.get("inputs").size());
        assertEquals(g.outputs().size(), m.get("outputs").size());
        JsonNode bufNext = null;
        for (JsonNode o : m.get("outputs")) {
            if (o.get("name").asText().equals("fc.weight.momentum_buffer.next")) {
                bufNext = o;
            }
        }
        assertEquals("OPTIMIZER_STATE", bufNext.get("role").asText());
        assertEquals("float", bufNext.get("dtype").asText());
        assertEquals("[3,4]", bufNext.get("shape").toString());
    }

    @Test
    void evalManifestNamesTheSymbolicBatch() {
        StepGraph eval = new EvalGraph(TINY, 2, 6, 6).build();
        JsonNode m = Manifest.toJson(eval);
        assertEquals("[\"N\",2,6,6]", m.get("inputs").get(0).get("shape").toString());
        assertTrue(eval.updatedState().isEmpty());
        assertEquals(Set.of("logits", "loss", "correct"),
                eval.outputs().stream().map(GraphIo::name).collect(Collectors.toSet()));
        assertTrue(eval.stateInputs().stream().noneMatch(io -> io.name().endsWith("num_batches_tracked")));
    }

    /** First SGD step from zero buffers: p' = p - lr (g + wd p) and buffer' = g + wd p, with the graph's own g. */
    @Test
    void firstSgdStepUsesTheGradient() {
        StepGraph g = build(new Sgd(true));
        Map<String, Tensor> feeds = new HashMap<>(g.initialState());
        Random r = new Random(5);
        feeds.put("x", RandomNormal.tensor(r, Shape.of(5, 2, 6, 6)));
        feeds.put("y", Tensor.ofLongs(Shape.of(5), new long[] {0, 1, 2, 1, 0}));
        float lr = 0.3f;
        float wd = 0.01f;
        float mom = 0.5f;
        feeds.put(Sgd.LR, Tensor.scalar(lr));
        feeds.put(Sgd.MOMENTUM, Tensor.scalar(mom));
        feeds.put(Sgd.WEIGHT_DECAY, Tensor.scalar(wd));
        Map<String, Tensor> out;
        try (GraphSession s = new GraphSession(g.model())) {
            out = s.run(feeds);
        }
        for (GraphIo p : g.inputsWithRole(Role.PARAMETER)) {
            float[] w = g.initialState().get(p.name()).floats();
            float[] grad = out.get(GraphIo.gradient(p.name())).floats();
            float[] d = new float[w.length];
            float[] expected = new float[w.length];
            for (int i = 0; i < w.length; i++) {
                d[i] = grad[i] + wd * w[i];
                expected[i] = w[i] - lr * (d[i] + mom * d[i]); // Nesterov: d + momentum * buffer', buffer' = d
            }
            assertClose(p.name() + " buffer", Tensor.ofFloats(p.shape(), d),
                    out.get(GraphIo.next(p.name() + ".momentum_buffer")), 1e-6);
            assertClose(p.name(), Tensor.ofFloats(p.shape(), expected), out.get(GraphIo.next(p.name())), 1e-6);
        }
        assertEquals(1L, out.get("bn1.num_batches_tracked.next").longs()[0]);
    }
}
