package org.automixonnx.models;

import java.util.HashMap;
import java.util.Map;
import org.automixonnx.graphs.GraphIo;
import org.automixonnx.graphs.Sgd;
import org.automixonnx.graphs.StepGraph;
import org.automixonnx.graphs.TrainStepGraph;
import org.automixonnx.onnx.Tensor;
import org.automixonnx.runtime.GraphSession;
import org.automixonnx.testing.SyntheticImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Times the full ResNet-18 (CIFAR stem, 32x32) train step through the allocating GraphSession path. Not a
 * test: run with {@code mvn test -Dtest=ResNet18StepBench -Dbench=true [-Dbench.batch=100]}.
 */
@EnabledIfSystemProperty(named = "bench", matches = "true")
class ResNet18StepBench {
    @Test
    void timeTrainStep() {
        int batch = Integer.getInteger("bench.batch", 32);
        int steps = Integer.getInteger("bench.steps", 4);
        long t0 = System.nanoTime();
        StepGraph step = new TrainStepGraph(new ResNet(ResNetConfig.resnet18Cifar(10)), new Sgd(false), batch, 3, 32,
                32).build();
        long t1 = System.nanoTime();
        SyntheticImages data = new SyntheticImages(10, 3, 32, 1f, 1);
        Map<String, Tensor> state = new HashMap<>(step.initialState());
        try (GraphSession s = new GraphSession(step.model())) {
            long t2 = System.nanoTime();
            long first = 0;
            for (int i = 0; i <= steps; i++) {
                if (i == 1) {
                    first = System.nanoTime();
                }
                SyntheticImages.Batch b = data.next(batch);
                Map<String, Tensor> feeds = new HashMap<>(state);
                feeds.put("x", b.x());
                feeds.put("y", b.y());
                feeds.put(Sgd.LR, Tensor.scalar(0.1f));
                feeds.put(Sgd.MOMENTUM, Tensor.scalar(0.9f));
                feeds.put(Sgd.WEIGHT_DECAY, Tensor.scalar(1e-4f));
                Map<String, Tensor> out = s.run(feeds);
                for (GraphIo io : step.updatedState()) {
                    state.put(io.name(), out.get(GraphIo.next(io.name())));
                }
            }
            double perStep = (System.nanoTime() - first) / 1e9 / steps;
            System.out.printf("ResNet-18 train step: %d nodes, build %.1f s, session %.1f s, %.3f s/step at batch %d"
                    + " = %.1f images/s%n", step.model().graph().nodes().size(), (t1 - t0) / 1e9, (t2 - t1) / 1e9,
                    perStep, batch, batch / perStep);
        }
    }
}
