package org.automixonnx.mixup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.automixonnx.data.Batch;
import org.automixonnx.graphs.Role;
import org.automixonnx.graphs.StepForm;
import org.automixonnx.graphs.StepGraph;
import org.automixonnx.runtime.StateStore;
import org.automixonnx.testing.TensorAssert;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every registered method trains the same in the split form (gradient graph, then optimizer graph) as in the fused
 * form on one worker: same seed, same batches and draws, so the same losses at every step and the same parameters,
 * optimizer state and BatchNorm statistics after them (AutoMix: both of its steps split, its EMA unchanged).
 */
class SplitFormTest {
    private static final int STEPS = 3;
    private static final double LR = 0.05;
    /**
     * None: both forms run the same operators on the same values in the same order, so on ORT's CPU kernels they
     * agree to the bit; a fusion ORT applied in one form only would break this, and then float32 rounding (a few
     * ulps of the largest value) is the bound to allow.
     */
    private static final double TOLERANCE = 0;

    static List<String> registered() {
        return MethodRegistryTest.registered();
    }

    @ParameterizedTest
    @MethodSource("registered")
    void theSplitStepTrainsAsTheFusedStep(String name) throws Exception {
        MethodSpec spec = MethodRegistry.standard().get(name);
        MethodContext fusedContext = MethodRegistryTest.defaults(spec);
        List<Batch> batches = MethodRegistryTest.batches(STEPS);
        try (MixMethod fused = spec.create(fusedContext);
                MixMethod split = spec.create(fusedContext.withForm(StepForm.SPLIT))) {
            assertSplit(name, fused, split);
            for (int i = 0; i < STEPS; i++) {
                Map<String, Double> expected = fused.step(batches.get(i), iteration(i));
                Map<String, Double> actual = split.step(batches.get(i), iteration(i));
                assertEquals(expected.keySet(), actual.keySet(), name + " step " + i);
                for (String term : expected.keySet()) {
                    double e = expected.get(term);
                    assertEquals(e, actual.get(term), TOLERANCE * Math.abs(e), name + " step " + i + " " + term);
                }
            }
            assertSameState(name, fused.state(), split.state());
        }
    }

    /** The split method's train graphs carry optimizer graphs and update no parameter themselves; fused ones none. */
    private static void assertSplit(String method, MixMethod fused, MixMethod split) {
        assertTrue(fused.graphs().stream().allMatch(g -> g.optimizerStep().isEmpty()), method + " fused");
        List<String> training = fused.graphs().stream().filter(g -> updates(g, Role.PARAMETER)).map(StepGraph::name)
                .toList();
        List<String> withOptimizer = split.graphs().stream().filter(g -> g.optimizerStep().isPresent())
                .map(StepGraph::name).toList();
        assertEquals(training, withOptimizer, method + ": the graphs that train");
        assertTrue(split.graphs().stream().noneMatch(g -> updates(g, Role.PARAMETER)), method + " split");
    }

    private static boolean updates(StepGraph g, Role role) {
        return g.updatedState().stream().anyMatch(io -> io.role() == role);
    }

    private static Iteration iteration(int i) {
        return new Iteration(0, i, STEPS, LR, new SplittableRandom(11 + i));
    }

    /** Every group, every tensor: parameters, optimizer buffers, BatchNorm statistics (and AutoMix's teacher). */
    private static void assertSameState(String method, Map<String, StateStore> fused, Map<String, StateStore> split) {
        assertEquals(fused.keySet(), split.keySet(), method + " state groups");
        fused.forEach((group, expected) -> {
            StateStore actual = split.get(group);
            assertEquals(expected.names(), actual.names(), method + " " + group);
            for (String tensor : expected.names()) {
                TensorAssert.assertClose(method + " " + tensor + " after " + STEPS + " steps", expected.get(tensor),
                        actual.get(tensor), TOLERANCE);
            }
        });
    }
}
