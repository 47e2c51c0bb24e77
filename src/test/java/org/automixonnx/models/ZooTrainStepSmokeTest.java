package org.automixonnx.models;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.automixonnx.graphs.Role;
import org.automixonnx.graphs.Sgd;
import org.automixonnx.graphs.StepGraph;
import org.automixonnx.graphs.TrainStepGraph;
import org.automixonnx.onnx.Tensor;
import org.automixonnx.runtime.GraphSession;
import org.automixonnx.testing.SyntheticImages;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** One train step of every architecture at a tiny width: finite loss and a finite gradient for every parameter. */
class ZooTrainStepSmokeTest {
    @ParameterizedTest
    @ValueSource(strings = {"resnet18-cifar-w0.0625", "resnet34-w0.0625", "resnet50-cifar-w0.0625",
            "resnext50-32x4d-w0.125", "wrn-16-2-w0.5", "preact-resnet18-w0.0625", "mobilenetv2-w0.1"})
    void trainStepHasFiniteLossAndEveryGradient(String name) {
        ImageClassifier net = ModelZoo.create(name, 3, 4);
        StepGraph step = new TrainStepGraph(net, new Sgd(false), 2, 3, 32, 32).exposeGradients(true).seed(5).build();
        SyntheticImages.Batch b = new SyntheticImages(4, 3, 32, 1.0f, 2).next(2);
        Map<String, Tensor> feeds = new HashMap<>(step.initialState());
        feeds.put("x", b.x());
        feeds.put("y", b.y());
        feeds.put(Sgd.LR, Tensor.scalar(0.1f));
        feeds.put(Sgd.MOMENTUM, Tensor.scalar(0.9f));
        feeds.put(Sgd.WEIGHT_DECAY, Tensor.scalar(1e-4f));
        double total = 0;
        try (GraphSession s = new GraphSession(step.model())) {
            Map<String, Tensor> out = s.run(feeds);
            float loss = out.get("loss").floats()[0];
            assertTrue(Float.isFinite(loss), name + " loss " + loss);
            for (var p : step.inputsWithRole(Role.PARAMETER)) {
                Tensor g = out.get(TrainStepGraph.gradientName(p.name()));
                assertNotNull(g, "gradient of " + p.name());
                for (float f : g.floats()) {
                    assertTrue(Float.isFinite(f), name + ": gradient of " + p.name());
                    total += Math.abs(f);
                }
            }
        }
        assertTrue(total > 0, name + ": all gradients are zero");
    }
}
