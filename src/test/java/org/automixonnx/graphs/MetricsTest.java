package org.automixonnx.graphs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.Random;
import org.automixonnx.onnx.DType;
import org.automixonnx.onnx.GraphBuilder;
import org.automixonnx.onnx.Ops;
import org.automixonnx.onnx.Shape;
import org.automixonnx.onnx.Tensor;
import org.automixonnx.onnx.Value;
import org.automixonnx.runtime.GraphSession;
import org.automixonnx.testing.RandomNormal;
import org.junit.jupiter.api.Test;

/** The in-graph metrics on crafted logits, against plain Java. */
class MetricsTest {
    /** Runs {@code logits [n, k]}, {@code a}, {@code b} (int64 [n]) through the metric emitters. */
    static Map<String, Tensor> run(float[] logits, int n, int k, long[] a, long[] b, int bins) {
        GraphBuilder g = new GraphBuilder("metrics");
        Ops o = new Ops(g);
        Value z = g.input("logits", DType.FLOAT, Shape.of(n, k));
        Value ya = g.input("a", DType.INT64, Shape.of(n));
        Value yb = g.input("b", DType.INT64, Shape.of(n));
        g.output(Metrics.correctTopK(o, z, ya, 1), "top1");
        g.output(Metrics.correctTopK(o, z, ya, Math.min(5, k)), "top5");
        g.output(Metrics.topKHits(o, z, ya, 1), "hits1");
        g.output(Metrics.topTwoPairHits(o, z, ya, yb), "pair2");
        Value conf = Metrics.confidence(o, z);
        g.output(conf, "confidence");
        Value bin = Metrics.confidenceBin(o, conf, bins);
        g.output(bin, "bin");
        g.output(Metrics.binSums(o, bin, conf, bins), "bin_conf");
        try (GraphSession s = new GraphSession(g.buildModel())) {
            return s.run(Map.of("logits", Tensor.ofFloats(Shape.of(n, k), logits), "a", Tensor.ofLongs(Shape.of(n), a),
                    "b", Tensor.ofLongs(Shape.of(n), b)), List.of());
        }
    }

    @Test
    void topOneAndTopFiveCountLikeJava() {
        int n = 64;
        int k = 10;
        Random r = new Random(4);
        float[] z = RandomNormal.floats(r, n * k);
        long[] y = new long[n];
        for (int i = 0; i < n; i++) {
            y[i] = r.nextInt(k);
        }
        long top1 = 0;
        long top5 = 0;
        float[] hits = new float[n];
        for (int i = 0; i < n; i++) {
            int larger = 0; // classes with a larger logit than the label's: the label's rank
            for (int c = 0; c < k; c++) {
                larger += z[i * k + c] > z[i * k + (int) y[i]] ? 1 : 0;
            }
            top1 += larger == 0 ? 1 : 0;
            top5 += larger < 5 ? 1 : 0;
            hits[i] = larger == 0 ? 1 : 0;
        }
        Map<String, Tensor> out = run(z, n, k, y, y, 15);
        assertEquals(top1, out.get("top1").longs()[0]);
        assertEquals(top5, out.get("top5").longs()[0]);
        assertArrayEquals(hits, out.get("hits1").floats());
        assertEquals(true, top1 < top5 && top5 < n, "a case where the two differ: " + top1 + " " + top5);
    }

    @Test
    void mixedSampleTopTwoNeedsBothLabelsInEitherOrder() {
        float[] z = {
            5, 4, 0, 0,   // top-2 {0, 1}, pair (0, 1): hit
            4, 5, 0, 0,   // top-2 {1, 0}, pair (0, 1): hit, order does not matter
            5, 0, 4, 0,   // top-2 {0, 2}, pair (0, 1): miss
            0, 0, 5, 4,   // top-2 {2, 3}, pair (0, 1): miss, though top-1 of neither
            1, 5, 0, 4,   // top-2 {1, 3}, pair (3, 1): hit
        };
        long[] a = {0, 0, 0, 0, 3};
        long[] b = {1, 1, 1, 1, 1};
        Map<String, Tensor> out = run(z, 5, 4, a, b, 15);
        assertArrayEquals(new float[] {1, 1, 0, 0, 1}, out.get("pair2").floats());
        assertArrayEquals(new float[] {1, 0, 1, 0, 0}, out.get("hits1").floats(), "top-1 = the dominant label a");
    }

    @Test
    void confidenceBinsAreRightClosed() {
        int bins = 4; // (0, .25], (.25, .5], (.5, .75], (.75, 1]
        double[] p = {0.2, 0.3, 0.6, 0.9, 0.999};
        float[] z = new float[p.length * 2];
        for (int i = 0; i < p.length; i++) {
            // two classes with softmax probabilities p and 1 - p: logits log p, log(1 - p); confidence max(p, 1-p)
            z[2 * i] = (float) Math.log(p[i]);
            z[2 * i + 1] = (float) Math.log(1 - p[i]);
        }
        long[] zero = new long[p.length];
        Map<String, Tensor> out = run(z, p.length, 2, zero, zero, bins);
        // confidences 0.8, 0.7, 0.6, 0.9, 0.999
        assertArrayEquals(new long[] {3, 2, 2, 3, 3}, out.get("bin").longs());
        assertArrayEquals(new float[] {0, 0, 1.3f, 2.699f}, out.get("bin_conf").floats(), 1e-5f);
    }
}
