package org.automixonnx.graphs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.automixonnx.onnx.Shape;
import org.automixonnx.onnx.Tensor;
import org.automixonnx.runtime.DirectTensor;
import org.automixonnx.runtime.GradientExchange;
import org.automixonnx.runtime.SessionFactory;
import org.automixonnx.runtime.StateStore;
import org.automixonnx.runtime.TrainStepRunner;
import org.automixonnx.testing.RandomNormal;
import org.automixonnx.testing.TensorAssert;
import org.junit.jupiter.api.Test;

/**
 * The split form of a train step: what its gradient and optimizer graphs take and give, that the runner trains
 * with it exactly as with the fused step (AdamW's shared step counter included), and that the optimizer applies
 * the gradients as the exchange leaves them.
 */
class SplitStepTest {
    private static final int BATCH = 5;
    private static final int STEPS = 3;
    private static final long[] IMAGE = {2, 6, 6};
    private static final Set<String> PARAMETERS = Set.of("conv1.weight", "bn1.weight", "bn1.bias", "fc.weight",
            "fc.bias");

    private static TrainStepGraph step(Optimizer optimizer) {
        return new TrainStepGraph(TrainStepGraphTest.TINY, optimizer, BATCH, IMAGE).seed(9);
    }

    private static Set<String> names(List<GraphIo> ios, Predicate<GraphIo> which) {
        return ios.stream().filter(which).map(GraphIo::name).collect(Collectors.toSet());
    }

    private static Set<String> gradientNames() {
        return PARAMETERS.stream().map(GraphIo::gradient).collect(Collectors.toSet());
    }

    @Test
    void theGradientGraphGivesGradientsAndStatisticsAndTheOptimizerGraphTheUpdates() {
        StepGraph gradients = step(new Sgd(false)).form(StepForm.SPLIT).build();
        assertEquals(PARAMETERS, names(gradients.inputs(), io -> io.role() == Role.PARAMETER));
        assertTrue(names(gradients.inputs(), io -> io.role() == Role.HYPER_PARAMETER).isEmpty());
        assertTrue(names(gradients.inputs(), io -> io.role() == Role.OPTIMIZER_STATE).isEmpty());
        assertEquals(gradientNames(), names(gradients.outputs(), io -> io.role() == Role.GRADIENT));
        assertEquals(Set.of("bn1.running_mean", "bn1.running_var", "bn1.num_batches_tracked"),
                names(gradients.updatedState(), io -> true), "only the BatchNorm statistics change");

        StepGraph optimizer = gradients.optimizerStep().orElseThrow();
        assertEquals("train_step" + OptimizerStep.NAME_SUFFIX, optimizer.name());
        assertEquals(List.of(gradients, optimizer), gradients.runs());
        assertEquals(gradientNames(), names(optimizer.inputs(), io -> io.role() == Role.GRADIENT));
        assertEquals(Set.of(Sgd.LR, Sgd.MOMENTUM, Sgd.WEIGHT_DECAY),
                names(optimizer.inputs(), io -> io.role() == Role.HYPER_PARAMETER));
        assertEquals(names(optimizer.stateInputs(), io -> true), names(optimizer.updatedState(), io -> true),
                "the optimizer graph updates every parameter and buffer it takes");
        for (String p : PARAMETERS) {
            assertEquals(gradients.initialState().get(p), optimizer.initialState().get(p), p);
        }
        assertTrue(step(new Sgd(false)).build().optimizerStep().isEmpty(), "the fused step carries none");
    }

    @Test
    void aSplitAdamWStepTrainsAsTheFusedOne() {
        StepGraph fusedGraph = step(AdamW.defaults()).build();
        StepGraph splitGraph = step(AdamW.defaults()).form(StepForm.SPLIT).build();
        Random random = new Random(4);
        try (TrainStepRunner fused = new TrainStepRunner(fusedGraph);
                TrainStepRunner split = new TrainStepRunner(splitGraph)) {
            for (int i = 0; i < STEPS; i++) {
                Tensor x = RandomNormal.tensor(random, Shape.of(BATCH, IMAGE[0], IMAGE[1], IMAGE[2]));
                long[] y = random.longs(BATCH, 0, 3).toArray();
                for (TrainStepRunner r : List.of(fused, split)) {
                    r.floatInput(GraphIo.IMAGES).put(x.floats());
                    r.longInput(GraphIo.LABELS).put(y);
                    r.setHyper(AdamW.LR, 0.01);
                    r.setHyper(AdamW.WEIGHT_DECAY, 0.1);
                    r.step();
                }
                assertEquals(fused.result("loss"), split.result("loss"), 0f, "loss at step " + i);
            }
            assertSameState(fused.state(), split.state());
            assertEquals(STEPS, split.state().get(AdamW.STEP).floats()[0]);
        }
    }

    /** The exchange gets the gradients the fused step applies; zeroed there, they leave the parameters as they were. */
    @Test
    void theOptimizerAppliesTheGradientsTheExchangeLeaves() {
        StepGraph fusedGraph = step(new Sgd(false)).exposeGradients(true).build();
        List<Tensor> seen = new ArrayList<>();
        GradientExchange zeroing = buffers -> {
            for (DirectTensor g : buffers) {
                seen.add(g.toTensor());
                g.fill(0);
            }
        };
        Random random = new Random(6);
        Tensor x = RandomNormal.tensor(random, Shape.of(BATCH, IMAGE[0], IMAGE[1], IMAGE[2]));
        long[] y = random.longs(BATCH, 0, 3).toArray();
        try (TrainStepRunner fused = new TrainStepRunner(fusedGraph);
                TrainStepRunner split = new TrainStepRunner(step(new Sgd(false)).form(StepForm.SPLIT).build(),
                        SessionFactory.cpu(), zeroing)) {
            StateStore before = split.state().copy();
            for (TrainStepRunner r : List.of(fused, split)) {
                r.floatInput(GraphIo.IMAGES).put(x.floats());
                r.longInput(GraphIo.LABELS).put(y);
                r.setHyper(Sgd.LR, 0.1);
                r.setHyper(Sgd.MOMENTUM, 0.9);
                r.setHyper(Sgd.WEIGHT_DECAY, 0);
                r.step();
            }
            List<String> order = new ArrayList<>(split.gradients().keySet());
            assertEquals(gradientNames(), Set.copyOf(order));
            for (int i = 0; i < order.size(); i++) {
                TensorAssert.assertClose(order.get(i), fused.resultTensor(order.get(i)).toTensor(), seen.get(i), 0);
            }
            for (String p : PARAMETERS) {
                TensorAssert.assertClose(p, before.get(p), split.state().get(p), 0);
            }
            FloatBuffer mean = split.state().floats("bn1.running_mean");
            assertTrue(mean.get(0) != before.floats("bn1.running_mean").get(0), "the BatchNorm statistics moved");
        }
    }

    private static void assertSameState(StateStore fused, StateStore split) {
        assertEquals(fused.names(), split.names());
        for (String name : fused.names()) {
            TensorAssert.assertClose(name, fused.get(name), split.get(name), 0);
        }
    }
}
