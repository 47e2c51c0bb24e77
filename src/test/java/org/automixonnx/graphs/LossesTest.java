package org.automixonnx.graphs;

import static org.automixonnx.testing.TensorAssert.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;
import org.automixonnx.onnx.DType;
import org.automixonnx.onnx.GraphBuilder;
import org.automixonnx.onnx.Ops;
import org.automixonnx.onnx.Shape;
import org.automixonnx.onnx.Tensor;
import org.automixonnx.onnx.Value;
import org.automixonnx.runtime.GraphSession;
import org.automixonnx.testing.FixtureFile;
import org.junit.jupiter.api.Test;

/** Cross-entropy (hard and soft targets) against torch, and the top-1 count against a Java argmax. */
class LossesTest {
    @Test
    void crossEntropyAndCorrectCount() throws Exception {
        FixtureFile fx = FixtureFile.read(Path.of("testdata/fixtures/optimizers.bin"));
        GraphBuilder b = new GraphBuilder("losses");
        Ops o = new Ops(b);
        Value logits = b.input("logits", DType.FLOAT, Shape.of(5, 7));
        Value labels = b.input("labels", DType.INT64, Shape.of(5));
        Value targets = b.input("targets", DType.FLOAT, Shape.of(5, 7));
        b.output(Losses.crossEntropy(o, logits, labels), "hard");
        b.output(Losses.softCrossEntropy(o, logits, targets), "soft");
        b.output(Metrics.correct(o, logits, labels), "correct");
        Map<String, Tensor> out;
        try (GraphSession s = new GraphSession(b.buildModel())) {
            out = s.run(Map.of("logits", fx.get("ce.logits"), "labels", fx.get("ce.labels"), "targets",
                    fx.get("ce.targets")));
        }
        assertClose("hard-label CE", fx.get("ce.hard"), out.get("hard"), 1e-6);
        assertClose("soft-target CE", fx.get("ce.soft"), out.get("soft"), 1e-6);

        float[] l = fx.get("ce.logits").floats();
        long[] y = fx.get("ce.labels").longs();
        long correct = 0;
        for (int i = 0; i < 5; i++) {
            int best = 0;
            for (int k = 1; k < 7; k++) {
                best = l[i * 7 + k] > l[i * 7 + best] ? k : best;
            }
            correct += best == y[i] ? 1 : 0;
        }
        assertEquals(correct, out.get("correct").longs()[0]);
    }
}
