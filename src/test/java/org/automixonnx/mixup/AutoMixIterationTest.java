package org.automixonnx.mixup;

import static org.automixonnx.testing.TensorAssert.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.automixonnx.graphs.GraphIo;
import org.automixonnx.graphs.Role;
import org.automixonnx.graphs.Sgd;
import org.automixonnx.graphs.StepGraph;
import org.automixonnx.models.ResNet;
import org.automixonnx.onnx.Tensor;
import org.automixonnx.runtime.GraphSession;
import org.automixonnx.runtime.TrainStepRunner;
import org.automixonnx.testing.FixtureFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One full AutoMix iteration against PyTorch (float64 reference from tools/make_automix_fixture.py):
 * {@code mixblock_step} then {@code student_step} with {@code mix_mask = 1 - mask_q}, every output and every
 * updated state within 1e-5 of the tensor's largest reference magnitude; then {@code four_heads_eval} with the
 * student's and the teacher's state after the iteration.
 */
class AutoMixIterationTest {
    private static final double REL = 1e-5;
    private static FixtureFile fx;
    private static ResNet network;
    private static AutoMixStepGraphs graphs;
    private static int size;

    @BeforeAll
    static void build() throws Exception {
        fx = FixtureFile.read(Path.of("testdata/fixtures/automix_iteration.bin"));
        var m = fx.meta();
        size = m.get("size").asInt();
        network = new ResNet(fx.resNetConfig());
        graphs = new AutoMixStepGraphs(network, m.get("batch").asInt(), m.get("channels").asInt(), size, size)
                .tap("l" + m.get("tap").asInt()).initialState(fx.withPrefix("init."));
    }

    @Test
    void stateNamesMatchTheReference() {
        StepGraph mix = graphs.mixblockStep();
        StepGraph student = graphs.studentStep();
        TreeSet<String> expected = new TreeSet<>(fx.withPrefix("init.").keySet());
        TreeSet<String> ours = new TreeSet<>(mix.initialState().keySet());
        ours.addAll(student.initialState().keySet());
        assertEquals(expected, ours);
        // the teacher's parameters are read-only state of mixblock_step; its BN statistics are updated
        for (GraphIo io : mix.stateInputs()) {
            boolean updated = mix.updatedState().contains(io);
            if (io.name().startsWith(AutoMixStepGraphs.TEACHER_PREFIX)) {
                assertEquals(io.role() == Role.BN_STATISTIC, updated, io.name());
            } else {
                assertTrue(io.name().startsWith(MixBlock.SCOPE + ".") && updated, io.name());
            }
        }
        assertEquals(student.stateInputs(), student.updatedState());
    }

    @Test
    void teacherStartsAsACopyOfTheStudent() {
        AutoMixStepGraphs fresh = new AutoMixStepGraphs(network, 2, 3, size, size).seed(7);
        Map<String, Tensor> student = fresh.studentStep().initialState();
        Map<String, Tensor> mix = fresh.mixblockStep().initialState();
        student.forEach((name, t) -> {
            if (!name.endsWith(".momentum_buffer")) {
                assertClose(name, t, mix.get(AutoMixStepGraphs.TEACHER_PREFIX + name), 0);
            }
        });
        assertFalse(mix.containsKey(AutoMixStepGraphs.TEACHER_PREFIX + "conv1.weight.momentum_buffer"));
    }

    @Test
    void oneIterationMatchesPyTorch() {
        StepGraph mixStep = graphs.mixblockStep();
        Map<String, Tensor> mixOut;
        try (GraphSession s = new GraphSession(mixStep.model())) {
            Map<String, Tensor> f = feeds(mixStep.initialState());
            f.put("perm_k", fx.get("perm_k"));
            f.put("perm_q", fx.get("perm_q"));
            f.put("lam_k", scalarMeta("lam_k"));
            f.put("lam_q", scalarMeta("lam_q"));
            f.put(AutoMixStepGraphs.MASK_LOSS_WEIGHT, scalarMeta("mask_loss_weight"));
            mixOut = s.run(f);
        }
        for (String out : new String[] {"mask_k", "mask_q", "loss_gen"}) {
            assertClose(out, fx.get("mixblock_step." + out), mixOut.get(out), REL);
        }
        // loss_mask = max(|(1 - mean(mask_k)) - lam_k| - 0.1, 0) cancels terms of size ~1 down to ~0.03: its float32
        // error is bounded relative to the mask (values in [0, 1]), the scale mask_k itself is checked at
        assertClose("loss_mask", fx.get("mixblock_step.loss_mask"), mixOut.get("loss_mask"), REL, 1.0);
        Map<String, Tensor> mixNext = fx.withPrefix("mixblock_step.next.");
        assertEquals(new TreeSet<>(mixNext.keySet()),
                new TreeSet<>(mixStep.updatedState().stream().map(GraphIo::name).toList()));
        mixNext.forEach((name, ref) -> assertClose("mixblock_step " + name, ref, mixOut.get(GraphIo.next(name)), REL));

        StepGraph studentStep = graphs.studentStep();
        Map<String, Tensor> studentOut;
        try (GraphSession s = new GraphSession(studentStep.model())) {
            Map<String, Tensor> f = feeds(studentStep.initialState());
            f.put("perm", fx.get("perm_q"));
            f.put("mix_mask", oneMinus(mixOut.get("mask_q")));
            f.put("lam", scalarMeta("lam_q"));
            studentOut = s.run(f);
        }
        for (String out : new String[] {"loss", "loss_clean", "loss_mix", "correct"}) {
            assertClose(out, fx.get("student_step." + out), studentOut.get(out), REL);
        }
        Map<String, Tensor> studentNext = fx.withPrefix("student_step.next.");
        assertEquals(studentStep.updatedState().size(), studentNext.size());
        studentNext.forEach((name, ref) ->
                assertClose("student_step " + name, ref, studentOut.get(GraphIo.next(name)), REL));
    }

    /** The same iteration through the pinned ping-pong runner the training loop uses (read-only teacher state). */
    @Test
    void oneIterationThroughTrainStepRunner() {
        try (TrainStepRunner mix = new TrainStepRunner(graphs.mixblockStep());
                TrainStepRunner student = new TrainStepRunner(graphs.studentStep())) {
            var m = fx.meta();
            for (TrainStepRunner r : new TrainStepRunner[] {mix, student}) {
                r.input("x").put(fx.get("x"));
                r.input("y").put(fx.get("y"));
                r.setHyper(Sgd.LR, m.get("lr").asDouble());
                r.setHyper(Sgd.MOMENTUM, m.get("momentum").asDouble());
                r.setHyper(Sgd.WEIGHT_DECAY, m.get("weight_decay").asDouble());
            }
            mix.input("perm_k").put(fx.get("perm_k"));
            mix.input("perm_q").put(fx.get("perm_q"));
            mix.input("lam_k").put(scalarMeta("lam_k"));
            mix.input("lam_q").put(scalarMeta("lam_q"));
            mix.setHyper(AutoMixStepGraphs.MASK_LOSS_WEIGHT, m.get("mask_loss_weight").asDouble());
            mix.step();
            assertEquals(Set.copyOf(mix.layout().readOnlyState()), mix.graph().stateInputs().stream()
                    .map(GraphIo::name).filter(n -> n.startsWith("teacher.") && !n.contains("running")
                            && !n.endsWith("num_batches_tracked")).collect(Collectors.toSet()));
            assertClose("loss_gen", fx.get("mixblock_step.loss_gen"), mix.resultTensor("loss_gen").toTensor(), REL);
            fx.withPrefix("mixblock_step.next.").forEach((name, ref) ->
                    assertClose("runner " + name, ref, mix.state().get(name), REL));

            student.input("perm").put(fx.get("perm_q"));
            MarginRule.studentMask(mix.resultTensor("mask_q").floats(), m.get("lam_q").asDouble(),
                    student.input("mix_mask").floats());
            student.input("lam").put(scalarMeta("lam_q"));
            student.step();
            assertClose("loss", fx.get("student_step.loss"), student.resultTensor("loss").toTensor(), REL);
            fx.withPrefix("student_step.next.").forEach((name, ref) ->
                    assertClose("runner " + name, ref, student.state().get(name), REL));
        }
    }

    @Test
    void fourHeadsEvalOfStudentAndTeacher() {
        Map<String, Tensor> teacher = new HashMap<>(fx.withPrefix("init.teacher."));
        teacher.putAll(fx.withPrefix("mixblock_step.next.teacher."));
        Map<String, Map<String, Tensor>> encoders = Map.of("student", fx.withPrefix("student_step.next."),
                "teacher", teacher);
        encoders.forEach((encoder, state) -> {
            StepGraph eval = FourHeadsEval.build(network, state, 3, size, size);
            Map<String, Tensor> f = new HashMap<>(eval.initialState());
            f.put("x", fx.get("x"));
            f.put("y", fx.get("y"));
            try (GraphSession s = new GraphSession(eval.model())) {
                Map<String, Tensor> out = s.run(f);
                for (String head : new String[] {"one", "mix"}) {
                    assertClose(encoder + " logits_" + head, fx.get("eval." + encoder + ".logits_" + head),
                            out.get("logits_" + head), REL);
                    assertEquals(top1(fx.get("eval." + encoder + ".logits_" + head), fx.get("y")),
                            out.get("correct_" + head).longs()[0], encoder + " correct_" + head);
                }
            }
        });
    }

    private static Map<String, Tensor> feeds(Map<String, Tensor> state) {
        var m = fx.meta();
        Map<String, Tensor> f = new HashMap<>(state);
        f.put("x", fx.get("x"));
        f.put("y", fx.get("y"));
        f.put(Sgd.LR, Tensor.scalar((float) m.get("lr").asDouble()));
        f.put(Sgd.MOMENTUM, Tensor.scalar((float) m.get("momentum").asDouble()));
        f.put(Sgd.WEIGHT_DECAY, Tensor.scalar((float) m.get("weight_decay").asDouble()));
        return f;
    }

    private static Tensor scalarMeta(String key) {
        return Tensor.scalar((float) fx.meta().get(key).asDouble());
    }

    private static Tensor oneMinus(Tensor t) {
        float[] v = t.floats();
        for (int i = 0; i < v.length; i++) {
            v[i] = 1f - v[i];
        }
        return Tensor.ofFloats(t.shape(), v);
    }

    private static long top1(Tensor logits, Tensor labels) {
        float[] l = logits.floats();
        long[] y = labels.longs();
        int k = (int) logits.shape().dim(1);
        long correct = 0;
        for (int i = 0; i < y.length; i++) {
            int best = 0;
            for (int j = 1; j < k; j++) {
                if (l[i * k + j] > l[i * k + best]) {
                    best = j;
                }
            }
            correct += best == y[i] ? 1 : 0;
        }
        return correct;
    }
}
