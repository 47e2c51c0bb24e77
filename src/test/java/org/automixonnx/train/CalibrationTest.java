package org.automixonnx.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.automixonnx.graphs.Metrics;
import org.automixonnx.onnx.DType;
import org.automixonnx.onnx.GraphBuilder;
import org.automixonnx.onnx.Ops;
import org.automixonnx.onnx.Shape;
import org.automixonnx.onnx.Tensor;
import org.automixonnx.onnx.Value;
import org.automixonnx.runtime.GraphSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ECE over 15 bins from the graph's per-bin sums, on crafted probabilities with a hand-computed answer. */
class CalibrationTest {
    static final double[][] PROBS = {
        {0.90, 0.05, 0.05}, // label 0: right, confidence 0.90 -> bin 13 (0.867, 0.933]
        {0.90, 0.05, 0.05}, // label 1: wrong, confidence 0.90 -> bin 13
        {0.20, 0.50, 0.30}, // label 1: right, confidence 0.50 -> bin 7 (0.467, 0.533]
        {0.62, 0.30, 0.08}, // label 0: right, confidence 0.62 -> bin 9 (0.600, 0.667]
        {0.35, 0.33, 0.32}, // label 2: wrong, confidence 0.35 -> bin 5 (0.333, 0.400]
    };
    static final long[] LABELS = {0, 1, 1, 0, 2};

    /** The suite's per-bin sums for the crafted probabilities (logits = log p, so softmax gives p back). */
    static Calibration calibration() {
        int n = PROBS.length;
        GraphBuilder g = new GraphBuilder("calibration");
        Ops o = new Ops(g);
        Value z = g.input("logits", DType.FLOAT, Shape.of(n, 3));
        Value y = g.input("y", DType.INT64, Shape.of(n));
        Value conf = Metrics.confidence(o, z);
        Value bin = Metrics.confidenceBin(o, conf, 15);
        g.output(Metrics.binSums(o, bin, o.add(o.mul(conf, 0f), 1f), 15), "count");
        g.output(Metrics.binSums(o, bin, conf, 15), "confidence");
        g.output(Metrics.binSums(o, bin, Metrics.topKHits(o, z, y, 1), 15), "correct");
        float[] logits = new float[n * 3];
        for (int i = 0; i < logits.length; i++) {
            logits[i] = (float) Math.log(PROBS[i / 3][i % 3]);
        }
        try (GraphSession s = new GraphSession(g.buildModel())) {
            Map<String, Tensor> r = s.run(Map.of("logits", Tensor.ofFloats(Shape.of(n, 3), logits),
                    "y", Tensor.ofLongs(Shape.of(n), LABELS)), List.of());
            return new Calibration(r.get("count").asDoubles(), r.get("confidence").asDoubles(),
                    r.get("correct").asDoubles());
        }
    }

    @Test
    void eceOfTheHandComputedCase() {
        Calibration c = calibration();
        assertEquals(2, c.count()[13]);
        assertEquals(0.5, c.accuracy(13), 1e-9);
        assertEquals(0.9, c.meanConfidence(13), 1e-6);
        assertEquals(1, c.count()[7]);
        assertEquals(1, c.count()[9]);
        assertEquals(1, c.count()[5]);
        assertEquals(5, c.samples());
        assertTrue(Double.isNaN(c.accuracy(0)), "empty bin");
        // 2/5 |0.5 - 0.9| + 1/5 |1 - 0.5| + 1/5 |1 - 0.62| + 1/5 |0 - 0.35| = 0.16 + 0.1 + 0.076 + 0.07
        assertEquals(0.406, c.ece(), 1e-6);
    }

    @Test
    void reliabilityDiagramIsADecodablePng(@TempDir Path dir) throws Exception {
        Path png = dir.resolve("reliability.png");
        ReliabilityDiagram.write(calibration(), DataSets.TEST_SET, png);
        BufferedImage img = ImageIO.read(png.toFile());
        assertNotNull(img, "PNG decodes");
        assertEquals(640, img.getWidth());
        assertEquals(600, img.getHeight());
        java.util.Set<Integer> colours = new java.util.HashSet<>();
        for (int yy = 0; yy < img.getHeight(); yy += 7) {
            for (int xx = 0; xx < img.getWidth(); xx += 7) {
                colours.add(img.getRGB(xx, yy));
            }
        }
        assertTrue(colours.size() > 5, "a drawn chart, not a blank image: " + colours.size() + " colours");
    }
}
