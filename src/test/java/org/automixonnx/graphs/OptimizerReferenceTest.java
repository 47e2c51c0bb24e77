package org.automixonnx.graphs;

import static org.automixonnx.testing.TensorAssert.assertClose;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.automixonnx.onnx.DType;
import org.automixonnx.onnx.GraphBuilder;
import org.automixonnx.onnx.Shape;
import org.automixonnx.onnx.Tensor;
import org.automixonnx.onnx.Value;
import org.automixonnx.runtime.GraphSession;
import org.automixonnx.testing.FixtureFile;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Three updates of one parameter under given gradients, against torch.optim (tools/make_optimizer_fixture.py):
 * SGD with momentum and weight decay, Nesterov, plain SGD, AdamW. The state carried between steps is the
 * graph's own {@code .next} outputs (momentum buffers, Adam moments and step counter).
 */
class OptimizerReferenceTest {
    static Stream<String> settings() {
        return Stream.of("sgd", "sgd_nesterov", "sgd_plain", "adamw");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("settings")
    void threeStepsMatchTorch(String setting) throws Exception {
        FixtureFile fx = FixtureFile.read(Path.of("testdata/fixtures/optimizers.bin"));
        JsonNode hp = fx.meta().get(setting);
        Optimizer opt = setting.startsWith("sgd") ? new Sgd(hp.path("nesterov").asBoolean(false)) : AdamW.defaults();

        BuildContext ctx = new BuildContext(new GraphBuilder("opt_" + setting), Mode.TRAIN, 0)
                .load(Map.of("w", fx.get(setting + ".p0")));
        Value g = ctx.data("g", DType.FLOAT, Shape.of(3, 4));
        StateVar w = ctx.state("w", Role.PARAMETER, DType.FLOAT, Shape.of(3, 4), Initializer.constant(0f));
        ctx.update(w, opt.update(ctx, w, g));
        StepGraph graph = ctx.finish();

        Map<String, Tensor> state = new HashMap<>(graph.initialState());
        try (GraphSession s = new GraphSession(graph.model())) {
            for (int t = 1; t <= 3; t++) {
                Map<String, Tensor> feeds = new HashMap<>(state);
                feeds.put("g", fx.get(setting + ".g" + t));
                feeds.put("hp.lr", Tensor.scalar((float) hp.get("lr").asDouble()));
                feeds.put("hp.weight_decay", Tensor.scalar((float) hp.get("weight_decay").asDouble()));
                if (hp.has("momentum")) {
                    feeds.put("hp.momentum", Tensor.scalar((float) hp.get("momentum").asDouble()));
                }
                Map<String, Tensor> out = s.run(feeds);
                assertClose(setting + " step " + t, fx.get(setting + ".p" + t), out.get("w.next"), 1e-6);
                for (GraphIo io : graph.updatedState()) {
                    state.put(io.name(), out.get(GraphIo.next(io.name())));
                }
            }
        }
    }
}
