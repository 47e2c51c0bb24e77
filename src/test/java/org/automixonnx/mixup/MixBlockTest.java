package org.automixonnx.mixup;

import static org.automixonnx.testing.TensorAssert.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.automixonnx.autodiff.Differentiator;
import org.automixonnx.graphs.BuildContext;
import org.automixonnx.graphs.Mode;
import org.automixonnx.graphs.Role;
import org.automixonnx.graphs.StateVar;
import org.automixonnx.graphs.StepGraph;
import org.automixonnx.onnx.DType;
import org.automixonnx.onnx.GraphBuilder;
import org.automixonnx.onnx.Ops;
import org.automixonnx.onnx.Shape;
import org.automixonnx.onnx.Tensor;
import org.automixonnx.onnx.Value;
import org.automixonnx.runtime.GraphSession;
import org.automixonnx.testing.FixtureFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The MixBlock against PyTorch (fixture cases {@code mb.*} of tools/make_automix_fixture.py): the mask and the
 * gradients of {@code sum(s * g)} with respect to its four parameters, for lamConcat on/off and nearest/bilinear
 * upsampling; plus the mask loss against its definition.
 */
class MixBlockTest {
    private static final double REL = 1e-5;
    private static FixtureFile fx;

    @BeforeAll
    static void read() throws Exception {
        fx = FixtureFile.read(Path.of("testdata/fixtures/automix_iteration.bin"));
    }

    @Test
    void concatNearestMatchesPyTorch() {
        checkCase("concat_nearest", new MixBlock.Options(true, MixBlock.Upsampling.NEAREST));
    }

    @Test
    void concatBilinearMatchesPyTorch() {
        checkCase("concat_bilinear", new MixBlock.Options(true, MixBlock.Upsampling.BILINEAR));
    }

    @Test
    void plainNearestMatchesPyTorch() {
        checkCase("plain_nearest", new MixBlock.Options(false, MixBlock.Upsampling.NEAREST));
    }

    @Test
    void plainBilinearMatchesPyTorch() {
        checkCase("plain_bilinear", new MixBlock.Options(false, MixBlock.Upsampling.BILINEAR));
    }

    @Test
    void parameterNamesShapesAndInit() {
        for (boolean concat : new boolean[] {true, false}) {
            BuildContext ctx = new BuildContext(new GraphBuilder("mb"), Mode.TRAIN, 3);
            Ops o = ctx.ops();
            Value z = ctx.data("z", DType.FLOAT, Shape.of(2, 256, 8, 8));
            MixBlock.apply(ctx, z, ctx.data("lam", DType.FLOAT, Shape.SCALAR),
                    ctx.data("perm", DType.INT64, Shape.of(2)), 32, 32,
                    new MixBlock.Options(concat, MixBlock.Upsampling.NEAREST));
            List<StateVar> params = ctx.states(Role.PARAMETER);
            assertEquals(MixBlock.parameterNames(), params.stream().map(StateVar::name).toList());
            long cin = concat ? 257 : 256;
            assertArrayEquals(new long[] {128, cin, 1, 1}, params.get(0).input().shape().dims());
            assertArrayEquals(new long[] {1, cin, 1, 1}, params.get(2).input().shape().dims());
            long count = params.stream().mapToLong(p -> p.input().shape().numel()).sum();
            assertEquals(128 * cin + 128 + cin + 1, count, "q/k conv + value conv, about 33k for C = 256");
            double[] w = params.get(0).initial().asDoubles();
            double sq = 0;
            for (double v : w) {
                sq += v * v;
            }
            assertEquals(0.01, Math.sqrt(sq / w.length), 0.001, "weights ~ Normal(0, 0.01)");
            assertTrue(java.util.Arrays.stream(params.get(1).initial().asDoubles()).allMatch(v -> v == 0));
        }
    }

    @Test
    void maskLossIsTheMarginPenaltyOnTheMeanOwnWeight() {
        float[] s = {0.9f, 0.1f, 0.7f, 0.3f, 0.95f, 0.6f, 0.2f, 0.55f};
        double own = 0;
        for (float v : s) {
            own += 1 - v;
        }
        own /= s.length;
        for (float lam : new float[] {0.05f, 0.3f, 0.45f, 0.5f, 0.6f, 0.9f}) {
            GraphBuilder b = new GraphBuilder("mask_loss");
            Ops o = new Ops(b);
            Value in = b.input("s", DType.FLOAT, Shape.of(2, 1, 2, 2));
            Value l = b.input("lam", DType.FLOAT, Shape.SCALAR);
            b.output(AutoMixStepGraphs.maskLoss(o, in, l), "loss");
            double expected = Math.max(Math.abs(own - lam) - 0.1, 0);
            try (GraphSession session = new GraphSession(b.buildModel())) {
                float got = session.run(Map.of("s", Tensor.ofFloats(Shape.of(2, 1, 2, 2), s),
                        "lam", Tensor.scalar(lam))).get("loss").floats()[0];
                assertEquals(expected, got, 1e-6, "lam " + lam);
            }
        }
    }

    private static void checkCase(String name, MixBlock.Options options) {
        String p = "mb." + name + ".";
        Tensor z = fx.get("mb.z");
        Tensor g = fx.get("mb.g");
        float lam = (float) fx.meta().get("mb_lam").asDouble();
        BuildContext ctx = new BuildContext(new GraphBuilder("mb_" + name), Mode.TRAIN, 0)
                .load(fx.withPrefix(p + "init."));
        Ops o = ctx.ops();
        Value zv = ctx.data("z", DType.FLOAT, z.shape());
        Value gv = ctx.data("g", DType.FLOAT, g.shape());
        Value s = MixBlock.apply(ctx, zv, ctx.data("lam", DType.FLOAT, Shape.SCALAR),
                ctx.data("perm", DType.INT64, fx.get("mb.perm").shape()), g.shape().dim(2), g.shape().dim(3), options);
        ctx.output(s, "s", Role.METRIC);
        List<StateVar> params = ctx.states(Role.PARAMETER);
        Map<Value, Value> grads = new Differentiator(ctx.builder())
                .gradients(o.reduceSumAll(o.mul(s, gv)), params.stream().map(StateVar::input).toList());
        params.forEach(sv -> ctx.output(grads.get(sv.input()), "grad." + sv.name(), Role.METRIC));
        StepGraph graph = ctx.finish();

        Map<String, Tensor> feeds = new HashMap<>(graph.initialState());
        feeds.put("z", z);
        feeds.put("g", g);
        feeds.put("lam", Tensor.scalar(lam));
        feeds.put("perm", fx.get("mb.perm"));
        try (GraphSession session = new GraphSession(graph.model())) {
            Map<String, Tensor> out = session.run(feeds);
            assertClose(name + " mask", fx.get(p + "s"), out.get("s"), REL);
            for (double v : out.get("s").asDoubles()) {
                assertTrue(v >= 0 && v <= 1, "mask value " + v);
            }
            fx.withPrefix(p + "grad.").forEach((param, ref) ->
                    assertClose(name + " grad " + param, ref, out.get("grad." + param), REL));
        }
    }
}
