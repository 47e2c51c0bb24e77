package org.automixonnx.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.automixonnx.graphs.EvalGraph;
import org.automixonnx.graphs.GraphIo;
import org.automixonnx.graphs.Role;
import org.automixonnx.graphs.Sgd;
import org.automixonnx.graphs.StepGraph;
import org.automixonnx.graphs.TrainStepGraph;
import org.automixonnx.onnx.Tensor;
import org.automixonnx.runtime.GraphSession;
import org.automixonnx.testing.SyntheticImages;
import org.junit.jupiter.api.Test;

/**
 * A tiny ResNet trained with our train-step graph (SGD, momentum, weight decay) on a learnable synthetic
 * task must drive its loss down and classify fresh samples through the evaluation graph, which runs on the
 * trained parameters and running statistics.
 */
class ResNetTrainingTest {
    private static final int CLASSES = 4;
    private static final int SIZE = 8;
    private static final int BATCH = 16;
    private static final int STEPS = 250;

    @Test
    void lossFallsAndEvalClassifiesFreshSamples() {
        ResNetConfig config = ResNetConfig.resnet18Cifar(CLASSES).withBlocks(1, 1, 1, 1).withBaseWidth(8);
        StepGraph step = new TrainStepGraph(new ResNet(config), new Sgd(false), BATCH, 3, SIZE, SIZE).seed(3).build();
        SyntheticImages data = new SyntheticImages(CLASSES, 3, SIZE, 1.0f, 11);

        Map<String, Tensor> state = new HashMap<>(step.initialState());
        double initial = 0;
        double first = 0;
        double last = 0;
        try (GraphSession s = new GraphSession(step.model())) {
            for (int t = 0; t < STEPS; t++) {
                SyntheticImages.Batch b = data.next(BATCH);
                Map<String, Tensor> feeds = new HashMap<>(state);
                feeds.put("x", b.x());
                feeds.put("y", b.y());
                feeds.put(Sgd.LR, Tensor.scalar(0.05f));
                feeds.put(Sgd.MOMENTUM, Tensor.scalar(0.9f));
                feeds.put(Sgd.WEIGHT_DECAY, Tensor.scalar(5e-4f));
                Map<String, Tensor> out = s.run(feeds);
                for (GraphIo io : step.updatedState()) {
                    state.put(io.name(), out.get(GraphIo.next(io.name())));
                }
                float loss = out.get("loss").floats()[0];
                initial = t == 0 ? loss : initial;
                first += t < 10 ? loss / 10 : 0;
                last += t >= STEPS - 20 ? loss / 20 : 0;
            }
        }
        assertTrue(last < 0.2 * first, "loss fell from " + first + " to " + last);
        // a head initialised with Normal(0, 0.01) starts out uniform: loss log K
        assertEquals(Math.log(CLASSES), initial, 0.05, "initial loss");

        StepGraph eval = new EvalGraph(new ResNet(config), 3, SIZE, SIZE).build();
        Map<String, Tensor> trained = new HashMap<>();
        for (GraphIo io : eval.stateInputs()) {
            trained.put(io.name(), state.get(io.name()));
        }
        try (GraphSession s = new GraphSession(eval.model())) {
            for (int n : new int[] {64, 7}) {
                SyntheticImages.Batch b = data.next(n);
                Map<String, Tensor> feeds = new HashMap<>(trained);
                feeds.put("x", b.x());
                feeds.put("y", b.y());
                long correct = s.run(feeds).get("correct").longs()[0];
                assertTrue(correct >= 0.9 * n, correct + " of " + n + " correct");
            }
        }
        assertTrue(eval.stateInputs().stream().allMatch(io -> io.role() != Role.OPTIMIZER_STATE));
    }
}
