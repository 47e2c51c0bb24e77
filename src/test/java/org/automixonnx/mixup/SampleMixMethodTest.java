package org.automixonnx.mixup;

import static org.automixonnx.testing.TensorAssert.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.automixonnx.data.Batch;
import org.automixonnx.graphs.GraphIo;
import org.automixonnx.graphs.Sgd;
import org.automixonnx.graphs.StepGraph;
import org.automixonnx.models.ImageClassifier;
import org.automixonnx.models.ModelZoo;
import org.automixonnx.onnx.Shape;
import org.automixonnx.onnx.Tensor;
import org.automixonnx.runtime.GraphSession;
import org.automixonnx.testing.MethodContexts;
import org.junit.jupiter.api.Test;

/** The shared orchestration of the sample-level methods: reproducible draws, and the state passed between sites. */
class SampleMixMethodTest {
    private static final int N = 4;
    private static final long[] IMAGE = {3, 16, 16};

    private static Batch randomBatch(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[(int) (N * IMAGE[0] * IMAGE[1] * IMAGE[2])];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) Sampling.gaussian(r);
        }
        long[] y = new long[N];
        int[] idx = new int[N];
        for (int i = 0; i < N; i++) {
            y[i] = r.nextInt(4);
            idx[i] = i;
        }
        return new Batch(0, x, y, idx, (int) IMAGE[0], (int) IMAGE[1], (int) IMAGE[2]);
    }

    @Test
    void drawsAreAFunctionOfTheSeed() {
        Batch b = randomBatch(1);
        for (MaskGenerator g : List.of(new MixUpMask(), CutBoxMask.cutMix(), new ManifoldMixMask(), new FMixMask(),
                new ResizeMixMask(), CutBoxMask.saliencyMix(), new GridMixMask())) {
            SampleMixMethod.Draw a = SampleMixMethod.draw(g, 0.5, new SplittableRandom(42), b);
            SampleMixMethod.Draw c = SampleMixMethod.draw(g, 0.5, new SplittableRandom(42), b);
            SampleMixMethod.Draw other = SampleMixMethod.draw(g, 0.5, new SplittableRandom(43), b);
            assertArrayEquals(a.perm(), c.perm());
            assertEquals(a.mix().lam(), c.mix().lam());
            assertArrayEquals(a.mix().ownMask(), c.mix().ownMask());
            assertEquals(a.mix().site(), c.mix().site());
            assertArrayEquals(a.mix().fedImages(b), c.mix().fedImages(b));
            assertTrue(a.mix().lam() != other.mix().lam() || !Arrays.equals(a.perm(), other.perm()),
                    g.getClass().getSimpleName() + ": another seed, another draw");
        }
    }

    /** ManifoldMix on a fixed schedule of sites; each site's graph must continue from the state the last one left. */
    private static final class ScheduledSites implements MaskGenerator {
        private final int[] schedule;
        private int next;

        ScheduledSites(int... schedule) {
            this.schedule = schedule;
        }

        @Override
        public List<String> sites() {
            return new ManifoldMixMask().sites();
        }

        @Override
        public boolean pixelMask() {
            return false;
        }

        @Override
        public MixDraw draw(SplittableRandom rng, double lam, Pairing pairing) {
            return MixDraw.ratio(lam).atSite(schedule[next++]);
        }
    }

    @Test
    void switchingSitesCarriesTheTrainingStateAcross() {
        int[] schedule = {1, 0, 2, 0};
        ImageClassifier net = ModelZoo.create("resnet18-cifar-w0.0625", 3, 4);
        SgdHyper hyper = new SgdHyper(0.9, 1e-4);
        double lr = 0.05;
        try (SampleMixMethod method = new SampleMixMethod("manifold", new ScheduledSites(schedule),
                MethodContexts.of(net, IMAGE, N, 7, hyper, 2.0, null))) {
            List<StepGraph> steps = method.graphs().subList(0, 3);
            assertEquals(List.of("student_step", "student_step_l1", "student_step_l2"),
                    steps.stream().map(StepGraph::name).toList());
            Map<String, Tensor> state = new HashMap<>(steps.get(0).initialState());
            ScheduledSites reference = new ScheduledSites(schedule);
            Map<Integer, GraphSession> sessions = new HashMap<>();
            for (int t = 0; t < schedule.length; t++) {
                Batch b = randomBatch(100 + t);
                double loss = method.step(b, new Iteration(0, t, schedule.length, lr, new SplittableRandom(t)))
                        .get("loss");

                SampleMixMethod.Draw d = SampleMixMethod.draw(reference, 2.0, new SplittableRandom(t), b);
                StepGraph g = steps.get(d.mix().site());
                Map<String, Tensor> feeds = new HashMap<>(state);
                feeds.put("x", Tensor.ofFloats(Shape.of(N, IMAGE[0], IMAGE[1], IMAGE[2]), b.images()));
                feeds.put("y", Tensor.ofLongs(Shape.of(N), b.labels()));
                feeds.put("perm", Tensor.ofLongs(Shape.of(N), d.perm()));
                float[] mask = new float[N];
                Arrays.fill(mask, (float) d.mix().lam());
                feeds.put("mix_mask", Tensor.ofFloats(Shape.of(N, 1, 1, 1), mask));
                feeds.put("lam", Tensor.scalar((float) d.mix().lam()));
                feeds.put(Sgd.LR, Tensor.scalar((float) lr));
                feeds.put(Sgd.MOMENTUM, Tensor.scalar(0.9f));
                feeds.put(Sgd.WEIGHT_DECAY, Tensor.scalar(1e-4f));
                Map<String, Tensor> out = sessions.computeIfAbsent(d.mix().site(), k -> new GraphSession(g.model()))
                        .run(feeds);
                assertEquals(out.get("loss").floats()[0], loss, 1e-4 * Math.abs(loss), "loss of step " + t);
                for (GraphIo io : g.updatedState()) {
                    state.put(io.name(), out.get(GraphIo.next(io.name())));
                }
            }
            sessions.values().forEach(GraphSession::close);
            Map<String, Tensor> live = method.state().get("student").toTensors();
            assertEquals(state.keySet(), live.keySet());
            state.forEach((name, ref) -> assertClose(name, ref, live.get(name), 1e-4));
        }
    }

    @Test
    void aMaskOfTheWrongShapeIsRefused() {
        ImageClassifier net = ModelZoo.create("resnet18-cifar-w0.0625", 3, 4);
        MaskGenerator wrong = new MaskGenerator() {
            @Override
            public boolean pixelMask() {
                return true;
            }

            @Override
            public MixDraw draw(SplittableRandom rng, double lam, Pairing pairing) {
                return MixDraw.ratio(lam);
            }
        };
        try (SampleMixMethod m = new SampleMixMethod("wrong", wrong,
                MethodContexts.of(net, IMAGE, N, 0, new SgdHyper(0.9, 0), 1.0, null))) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> m.step(randomBatch(1), new Iteration(0, 0, 1, 0.1, new SplittableRandom(0))));
            assertEquals("wrong drew a mask of 1 values; the step graph takes 256 per sample", e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> new SampleMixMethod("x", new MixUpMask(),
                MethodContexts.of(net, IMAGE, N, 0, new SgdHyper(0.9, 0), 0, null)));
    }
}
