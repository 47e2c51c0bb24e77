package org.automixonnx.runtime;

import static org.automixonnx.runtime.LinearRegressionStep.D;
import static org.automixonnx.runtime.LinearRegressionStep.K;
import static org.automixonnx.runtime.LinearRegressionStep.N;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.automixonnx.graphs.GraphIo;
import org.automixonnx.graphs.Role;
import org.automixonnx.graphs.StepGraph;
import org.automixonnx.onnx.Shape;
import org.automixonnx.onnx.Tensor;
import org.automixonnx.testing.RandomNormal;
import org.junit.jupiter.api.Test;

class TrainStepRunnerTest {
    private static final float LR = 0.05f;
    private static final float MU = 0.9f;

    private static void feed(TrainStepRunner r, Tensor x, Tensor y) {
        r.floatInput("x").put(x.floats());
        r.floatInput("y").put(y.floats());
    }

    private static Tensor[] batch(Random rnd) {
        Tensor x = RandomNormal.tensor(rnd, Shape.of(N, D));
        return new Tensor[] {x, LinearRegressionStep.target(x, rnd)};
    }

    @Test
    void pinnedPingPongIsBitIdenticalToPlainRun() {
        StepGraph g = LinearRegressionStep.build(1);
        Map<String, Tensor> state = new HashMap<>(g.initialState());
        Random rnd = new Random(2);
        try (TrainStepRunner runner = new TrainStepRunner(g); GraphSession plain = new GraphSession(g.model())) {
            runner.setHyper("hp.lr", LR);
            runner.setHyper("hp.momentum", MU);
            for (int step = 0; step < 20; step++) {
                Tensor[] xy = batch(rnd);
                feed(runner, xy[0], xy[1]);
                runner.step();

                Map<String, Tensor> in = new HashMap<>(state);
                in.put("x", xy[0]);
                in.put("y", xy[1]);
                in.put("hp.lr", Tensor.scalar(LR));
                in.put("hp.momentum", Tensor.scalar(MU));
                Map<String, Tensor> out = plain.run(in);
                for (String s : g.initialState().keySet()) {
                    if (out.containsKey(GraphIo.next(s))) {
                        state.put(s, out.get(GraphIo.next(s)));
                    }
                }
                assertEquals(out.get("loss").floats()[0], runner.result("loss"), 0f, "loss at step " + step);
                assertEquals(out.get("mae").floats()[0], runner.result("mae"), 0f, "mae at step " + step);
                for (String s : List.of("W", "b", "opt.W.v", "opt.b.v", "scale")) {
                    assertArrayEquals(state.get(s).floats(), runner.state().get(s).floats(), 0f, s + " at step " + step);
                }
            }
            assertEquals(20L, runner.state().get("opt.step").longs()[0]);
            assertEquals(20L, runner.steps());
        }
    }

    @Test
    void lossDecreases() {
        Random rnd = new Random(3);
        Tensor[] xy = batch(rnd);
        try (TrainStepRunner runner = new TrainStepRunner(LinearRegressionStep.build(4))) {
            runner.setHyper("hp.lr", LR);
            runner.setHyper("hp.momentum", MU);
            feed(runner, xy[0], xy[1]);
            runner.step();
            float first = runner.result("loss");
            for (int i = 0; i < 40; i++) {
                runner.step();
            }
            float last = runner.result("loss");
            assertTrue(last < 0.1f * first, "loss went from " + first + " to " + last);
        }
    }

    /** One step against the update written out by hand: g = dL/dp, v' = mu v + g, p' = p - lr v'. */
    @Test
    void oneStepFollowsTheSgdMomentumFormula() {
        StepGraph g = LinearRegressionStep.build(5);
        Random rnd = new Random(6);
        Tensor[] xy = batch(rnd);
        float[] x = xy[0].floats();
        float[] y = xy[1].floats();
        float[] w = g.initialState().get("W").floats();
        float[] b = g.initialState().get("b").floats();
        float scale = g.initialState().get("scale").floats()[0];
        float[] vw = RandomNormal.floats(rnd, D * K);
        float[] vb = RandomNormal.floats(rnd, K);

        // dL/dpred = 2 (pred - y) / (N K); pred = scale (x W + b)
        double[] gw = new double[D * K];
        double[] gb = new double[K];
        double loss = 0;
        for (int n = 0; n < N; n++) {
            for (int k = 0; k < K; k++) {
                double z = b[k];
                for (int d = 0; d < D; d++) {
                    z += x[n * D + d] * w[d * K + k];
                }
                double diff = scale * z - y[n * K + k];
                loss += diff * diff / (N * K);
                double dz = 2 * diff / (N * K) * scale;
                gb[k] += dz;
                for (int d = 0; d < D; d++) {
                    gw[d * K + k] += dz * x[n * D + d];
                }
            }
        }
        try (TrainStepRunner runner = new TrainStepRunner(g)) {
            runner.state().put("opt.W.v", Tensor.ofFloats(Shape.of(D, K), vw));
            runner.state().put("opt.b.v", Tensor.ofFloats(Shape.of(K), vb));
            runner.setHyper("hp.lr", LR);
            runner.setHyper("hp.momentum", MU);
            feed(runner, xy[0], xy[1]);
            runner.step();
            assertEquals(loss, runner.result("loss"), 1e-5 * Math.max(1, loss));
            assertUpdate(w, vw, gw, runner.state().get("W").floats(), runner.state().get("opt.W.v").floats());
            assertUpdate(b, vb, gb, runner.state().get("b").floats(), runner.state().get("opt.b.v").floats());
            assertEquals(scale, runner.state().get("scale").floats()[0]);
            assertEquals(1L, runner.state().get("opt.step").longs()[0]);
        }
    }

    private static void assertUpdate(float[] p, float[] v, double[] grad, float[] pNext, float[] vNext) {
        for (int i = 0; i < p.length; i++) {
            double ev = MU * v[i] + grad[i];
            assertEquals(ev, vNext[i], 1e-5, "v[" + i + "]");
            assertEquals(p[i] - LR * ev, pNext[i], 1e-5, "p[" + i + "]");
        }
    }

    @Test
    void readOnlyStateIsOneBufferThatJavaCanWrite() {
        Random rnd = new Random(7);
        Tensor[] xy = batch(rnd);
        try (TrainStepRunner runner = new TrainStepRunner(LinearRegressionStep.build(8))) {
            assertEquals(List.of("scale"), List.copyOf(runner.layout().readOnlyState()));
            StateStore before = runner.state();
            runner.setHyper("hp.lr", LR);
            runner.setHyper("hp.momentum", MU);
            feed(runner, xy[0], xy[1]);
            runner.step();
            assertSame(before.tensor("scale"), runner.state().tensor("scale"));
            // scale = 0 makes every prediction 0, so the next loss is mean(y^2)
            runner.state().floats("scale").put(0, 0f);
            runner.step();
            double expected = 0;
            for (float v : xy[1].floats()) {
                expected += v * v / (N * K);
            }
            assertEquals(expected, runner.result("loss"), 1e-6);
            assertSame(before, runner.state(), "two steps bring the first buffer set back");
        }
    }

    @Test
    void resumingFromASyncedStoreReproducesTheRun() {
        Random rnd = new Random(9);
        Tensor[][] batches = new Tensor[4][];
        for (int i = 0; i < batches.length; i++) {
            batches[i] = batch(rnd);
        }
        StepGraph g = LinearRegressionStep.build(10);
        StateStore checkpoint = StateStore.initial(g);
        try (TrainStepRunner runner = new TrainStepRunner(g)) {
            runner.setHyper("hp.lr", LR);
            runner.setHyper("hp.momentum", MU);
            feed(runner, batches[0][0], batches[0][1]);
            runner.step();
            runner.syncTo(checkpoint);
            float[] losses = new float[3];
            for (int i = 1; i < 4; i++) {
                feed(runner, batches[i][0], batches[i][1]);
                runner.step();
                losses[i - 1] = runner.result("loss");
            }
            runner.loadFrom(checkpoint);
            for (int i = 1; i < 4; i++) {
                feed(runner, batches[i][0], batches[i][1]);
                runner.step();
                assertEquals(losses[i - 1], runner.result("loss"), 0f, "loss " + i + " after resuming");
            }
            assertEquals(4L, runner.state().get("opt.step").longs()[0]);
        }
    }

    @Test
    void contractViolationsAreReportedByName() {
        StepGraph ok = LinearRegressionStep.build(11);
        Map<String, Tensor> init = new HashMap<>(ok.initialState());
        init.remove("opt.b.v");
        List<GraphIo> outs = ok.outputs().stream()
                .map(o -> o.name().equals("W.next") ? new GraphIo(o.name(), Role.OPTIMIZER_STATE, o.dtype(), o.shape()) : o)
                .toList();
        List<GraphIo> ins = ok.inputs().stream().filter(i -> !i.name().equals("hp.lr")).toList();
        StepGraph broken = new StepGraph(ok.model(), ins, outs, init);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new TrainStepRunner(broken));
        String m = e.getMessage();
        assertTrue(m.contains("'opt.b.v' has no initial value"), m);
        assertTrue(m.contains("'W.next' has role OPTIMIZER_STATE but its input has role PARAMETER"), m);
        assertTrue(m.contains("'hp.lr' has no role"), m);
    }

    @Test
    void unknownInputNamesFailClearly() {
        try (TrainStepRunner runner = new TrainStepRunner(LinearRegressionStep.build(12))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> runner.floatInput("images"));
            assertTrue(e.getMessage().contains("'images'") && e.getMessage().contains("x"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> runner.longInput("x"));
            assertThrows(IllegalArgumentException.class, () -> runner.result("W.next"));
        }
    }

    /**
     * The fast path allocates no tensors per step: no new direct buffers, and on the heap only the ~1.4 kB of
     * bookkeeping objects ORT's Java API creates per call (reading unpinned outputs back instead measured
     * ~4.2 kB per step for this small graph, so the bound catches a regression to that path).
     */
    @Test
    void stepsAllocateNoBuffers() {
        var direct = java.lang.management.ManagementFactory.getPlatformMXBeans(java.lang.management.BufferPoolMXBean.class)
                .stream().filter(p -> p.getName().equals("direct")).findFirst().orElseThrow();
        var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().getId();
        Random rnd = new Random(13);
        Tensor[] xy = batch(rnd);
        try (TrainStepRunner runner = new TrainStepRunner(LinearRegressionStep.build(14))) {
            runner.setHyper("hp.lr", LR);
            runner.setHyper("hp.momentum", MU);
            feed(runner, xy[0], xy[1]);
            for (int i = 0; i < 20; i++) {
                runner.step();
            }
            long buffers = direct.getCount();
            long heapBefore = threads.getThreadAllocatedBytes(tid);
            int steps = 200;
            for (int i = 0; i < steps; i++) {
                runner.step();
            }
            long perStep = (threads.getThreadAllocatedBytes(tid) - heapBefore) / steps;
            assertEquals(buffers, direct.getCount(), "direct buffers created during steps");
            assertTrue(perStep < 3072, "heap bytes allocated per step: " + perStep);
        }
    }
}
