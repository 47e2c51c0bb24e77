package org.automixonnx.models;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.automixonnx.graphs.ConvLowering;
import org.automixonnx.graphs.GraphIo;
import org.automixonnx.graphs.Role;
import org.automixonnx.graphs.Sgd;
import org.automixonnx.graphs.StepGraph;
import org.automixonnx.graphs.TrainStepGraph;
import org.automixonnx.onnx.Tensor;
import org.automixonnx.runtime.GraphSession;
import org.automixonnx.testing.SyntheticImages;
import org.automixonnx.testing.TensorAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** One train step of every architecture at a tiny width: finite loss and a finite gradient for every parameter. */
class ZooTrainStepSmokeTest {
    /** Feeds of one SGD step of {@code step} on a fixed synthetic batch of {@code n} 32 px images. */
    private static Map<String, Tensor> feeds(StepGraph step, int n) {
        SyntheticImages.Batch b = new SyntheticImages(4, 3, 32, 1.0f, 2).next(n);
        Map<String, Tensor> feeds = new HashMap<>(step.initialState());
        feeds.put("x", b.x());
        feeds.put("y", b.y());
        feeds.put(Sgd.LR, Tensor.scalar(0.1f));
        feeds.put(Sgd.MOMENTUM, Tensor.scalar(0.9f));
        feeds.put(Sgd.WEIGHT_DECAY, Tensor.scalar(1e-4f));
        return feeds;
    }

    @Test
    void mobileNetV2sSmallMapDepthwiseFormTrainsAsOrtsConv() {
        ImageClassifier net = ModelZoo.create("mobilenetv2-w0.25", 3, 4);
        // batch 16: BatchNorm over a 1x1 map of 2 images would magnify float rounding into the loss
        int batch = 16;
        StepGraph auto = new TrainStepGraph(net, new Sgd(false), batch, 3, 32, 32).exposeGradients(true).seed(5).build();
        StepGraph direct = new TrainStepGraph(net, new Sgd(false), batch, 3, 32, 32).exposeGradients(true).seed(5)
                .convLowering(ConvLowering.DIRECT).build();
        // the 2x2 and 1x1 maps' depthwise convs (features.11 to .17 at 32 px) leave ORT's Conv
        long groupedConvs = direct.model().graph().nodes().stream().filter(n -> n.opType().equals("Conv")
                && n.attrInt("group", 1) > 1).count();
        long groupedLeft = auto.model().graph().nodes().stream().filter(n -> n.opType().equals("Conv")
                && n.attrInt("group", 1) > 1).count();
        assertTrue(groupedLeft < groupedConvs, groupedLeft + " of " + groupedConvs + " grouped convs left");
        Map<String, Tensor> a;
        Map<String, Tensor> d;
        try (GraphSession s = new GraphSession(auto.model())) {
            a = s.run(feeds(auto, batch));
        }
        try (GraphSession s = new GraphSession(direct.model())) {
            d = s.run(feeds(direct, batch));
        }
        // The form itself matches ORT's Conv to 1e-5 (TapMatrixDepthwiseConvTest). Through 17 blocks of train-mode
        // BatchNorm the two summation orders drift apart by about 1e-5 of the largest gradient (and some BN biases'
        // gradients are sums that cancel to ~1e-7, pure rounding), so gradients are compared at 1e-4 of the largest
        // gradient of the network; a wrong tap would be off by O(1).
        TensorAssert.assertClose("loss", d.get("loss"), a.get("loss"), 1e-5);
        double largest = 0;
        for (var p : direct.inputsWithRole(Role.PARAMETER)) {
            for (double v : d.get(GraphIo.gradient(p.name())).asDoubles()) {
                largest = Math.max(largest, Math.abs(v));
            }
        }
        for (var p : auto.inputsWithRole(Role.PARAMETER)) {
            String g = GraphIo.gradient(p.name());
            TensorAssert.assertClose("gradient of " + p.name(), d.get(g), a.get(g), 1e-4, largest);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"resnet18-cifar-w0.0625", "resnet34-w0.0625", "resnet50-cifar-w0.0625",
            "resnext50-32x4d-w0.125", "wrn-16-2-w0.5", "preact-resnet18-w0.0625", "mobilenetv2-w0.1",
            "deit-s-d2-p8-w0.0625"})
    void trainStepHasFiniteLossAndEveryGradient(String name) {
        ImageClassifier net = ModelZoo.create(name, 3, 4);
        StepGraph step = new TrainStepGraph(net, new Sgd(false), 2, 3, 32, 32).exposeGradients(true).seed(5).build();
        double total = 0;
        try (GraphSession s = new GraphSession(step.model())) {
            Map<String, Tensor> out = s.run(feeds(step, 2));
            float loss = out.get("loss").floats()[0];
            assertTrue(Float.isFinite(loss), name + " loss " + loss);
            for (var p : step.inputsWithRole(Role.PARAMETER)) {
                Tensor g = out.get(GraphIo.gradient(p.name()));
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
