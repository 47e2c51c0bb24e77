package org.automixonnx.mixup;

import static org.automixonnx.testing.TensorAssert.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.automixonnx.graphs.GraphIo;
import org.automixonnx.graphs.Sgd;
import org.automixonnx.graphs.StepGraph;
import org.automixonnx.models.ResNet;
import org.automixonnx.onnx.Tensor;
import org.automixonnx.runtime.GraphSession;
import org.automixonnx.testing.FixtureFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Single-head sample-level mixing steps against PyTorch (fixture cases {@code base.*}): MixUp with a per-sample
 * mask, a CutMix box as a pixel mask, ManifoldMix at l1 and at l2; loss and the updated state within 1e-5.
 */
class SampleMixStepTest {
    private static final double REL = 1e-5;
    private static FixtureFile fx;
    private static ResNet network;
    private static int size;

    @BeforeAll
    static void read() throws Exception {
        fx = FixtureFile.read(Path.of("testdata/fixtures/automix_iteration.bin"));
        size = fx.meta().get("size").asInt();
        network = new ResNet(fx.resNetConfig());
    }

    @Test
    void mixupWithPerSampleMask() {
        check("mixup", step().pixelMask(false));
    }

    @Test
    void cutmixBoxAsPixelMask() {
        check("cutmix", step());
    }

    @Test
    void manifoldMixAtStage1() {
        check("manifold_l1", step().mixAt("l1"));
    }

    @Test
    void manifoldMixAtStage2() {
        check("manifold_l2", step().mixAt("l2"));
    }

    /** With two heads the clean pass is never mixed: its loss does not depend on where (or how) mixing happens. */
    @Test
    void twoHeadsCleanPassIsUnmixedAtAnyTap() {
        Map<String, Float> cleanLoss = new HashMap<>();
        Map<String, Float> mixLoss = new HashMap<>();
        for (String at : new String[] {SampleMixStep.INPUT, "l1", "l2"}) {
            StepGraph graph = new SampleMixStep(network, new Sgd(false), 4, 3, size, size)
                    .heads(SampleMixStep.Heads.TWO).mixAt(at).pixelMask(false).seed(5).build();
            Map<String, Tensor> f = new HashMap<>(graph.initialState());
            f.put("x", fx.get("base.x"));
            f.put("y", fx.get("base.y"));
            f.put("perm", fx.get("base.perm"));
            f.put("mix_mask", fx.get("base.mixup.mix_mask"));
            f.put("lam", fx.get("base.mixup.lam"));
            f.put(Sgd.LR, Tensor.scalar(0.1f));
            f.put(Sgd.MOMENTUM, Tensor.scalar(0.9f));
            f.put(Sgd.WEIGHT_DECAY, Tensor.scalar(1e-4f));
            try (GraphSession s = new GraphSession(graph.model())) {
                Map<String, Tensor> out = s.run(f);
                cleanLoss.put(at, out.get("loss_clean").floats()[0]);
                mixLoss.put(at, out.get("loss_mix").floats()[0]);
                assertEquals(out.get("loss_clean").floats()[0] + out.get("loss_mix").floats()[0],
                        out.get("loss").floats()[0], 1e-5);
            }
        }
        assertEquals(cleanLoss.get(SampleMixStep.INPUT), cleanLoss.get("l1"), 0f);
        assertEquals(cleanLoss.get(SampleMixStep.INPUT), cleanLoss.get("l2"), 0f);
        assertNotEquals(mixLoss.get("l1"), mixLoss.get("l2"));
    }

    @Test
    void graphNamesAndUnknownTap() {
        assertEquals("student_step", step().graphName());
        assertEquals("student_step_l2", step().mixAt("l2").graphName());
        assertThrows(IllegalArgumentException.class, () -> step().mixAt("l9").build());
    }

    private static SampleMixStep step() {
        return new SampleMixStep(network, new Sgd(false), fx.meta().get("batch").asInt(),
                fx.meta().get("channels").asInt(), size, size).initialState(fx.withPrefix("base.init."));
    }

    private static void check(String name, SampleMixStep builder) {
        String p = "base." + name + ".";
        StepGraph graph = builder.build();
        var m = fx.meta();
        Map<String, Tensor> f = new HashMap<>(graph.initialState());
        f.put("x", fx.get("base.x"));
        f.put("y", fx.get("base.y"));
        f.put("perm", fx.get("base.perm"));
        f.put("mix_mask", fx.get(p + "mix_mask"));
        f.put("lam", fx.get(p + "lam"));
        f.put(Sgd.LR, Tensor.scalar((float) m.get("lr").asDouble()));
        f.put(Sgd.MOMENTUM, Tensor.scalar((float) m.get("momentum").asDouble()));
        f.put(Sgd.WEIGHT_DECAY, Tensor.scalar((float) m.get("weight_decay").asDouble()));
        try (GraphSession s = new GraphSession(graph.model())) {
            Map<String, Tensor> out = s.run(f);
            assertClose(name + " loss", fx.get(p + "loss"), out.get("loss"), REL);
            assertClose(name + " loss_mix", fx.get(p + "loss"), out.get("loss_mix"), REL);
            fx.withPrefix(p + "next.").forEach((state, ref) ->
                    assertClose(name + " " + state, ref, out.get(GraphIo.next(state)), REL));
        }
    }
}
