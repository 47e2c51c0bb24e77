package org.automixonnx.mixup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.automixonnx.data.Batch;
import org.automixonnx.graphs.EvalGraph;
import org.automixonnx.graphs.Initializer;
import org.automixonnx.graphs.Network;
import org.automixonnx.graphs.StepGraph;
import org.automixonnx.models.nn.BatchNorm2d;
import org.automixonnx.models.nn.Layers;
import org.automixonnx.onnx.DType;
import org.automixonnx.onnx.GraphBuilder;
import org.automixonnx.onnx.Ops;
import org.automixonnx.onnx.Shape;
import org.automixonnx.onnx.Tensor;
import org.automixonnx.onnx.Value;
import org.automixonnx.runtime.GraphSession;
import org.automixonnx.testing.MethodContexts;
import org.automixonnx.testing.SyntheticImages;
import org.automixonnx.testing.TrainedState;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The evaluation suite graph on a tiny conv net: input gradient, FGSM step, and every count against Java. */
class EvalSuiteGraphTest {
    static final long[] IMAGE = {2, 6, 6};
    static final int N = 5;
    static final int CLASSES = 7;
    static final float[] MEAN = {0.3f, 0.6f};
    static final float[] STD = {0.2f, 0.4f};
    static final EvalSuiteGraph.Settings SETTINGS = new EvalSuiteGraph.Settings(8.0 / 255, 15, List.of(0.5, 0.8));

    /** conv -> BN (running statistics) -> tanh (smooth, for finite differences) -> pool -> linear. */
    static final Network TINY = (ctx, x) -> {
        Value h = Layers.conv2d(ctx, "conv", x, 8, 3, 1, 1, Initializer.normal(0.5));
        h = ctx.ops().tanh(BatchNorm2d.apply(ctx, "bn", h, Initializer.constant(1f)));
        return Layers.linear(ctx, "fc", Layers.globalAvgPoolFlatten(ctx, h), CLASSES, Initializer.normal(1.0),
                Initializer.constant(0f));
    };

    static StepGraph eval;
    static GraphSession evalSession;
    static GraphSession suite;
    static Map<String, Tensor> state;
    static float[] x;
    static long[] y;
    static float[] weight = {1, 1, 1, 1, 0};
    static long[] perm = {3, 2, 0, 1, 4};

    @BeforeAll
    static void build() {
        eval = new EvalGraph(TINY, IMAGE).seed(3).build();
        state = TrainedState.randomise(eval.initialState(), 5);
        evalSession = new GraphSession(eval.model());
        suite = new GraphSession(EvalSuiteGraph.build(eval, "logits", N, IMAGE, MEAN, STD, SETTINGS).model());
        Random r = new Random(11);
        int per = (int) (IMAGE[0] * IMAGE[1] * IMAGE[2]);
        x = new float[N * per];
        for (int i = 0; i < x.length; i++) {
            int c = (i / (int) (IMAGE[1] * IMAGE[2])) % 2;
            x[i] = (r.nextFloat() - MEAN[c]) / STD[c]; // normalised pixels of [0, 1]
        }
        y = new long[] {0, 3, 3, 6, 2};
    }

    @AfterAll
    static void close() {
        evalSession.close();
        suite.close();
    }

    static Map<String, Tensor> suiteInputs(float[] images) {
        Map<String, Tensor> in = new HashMap<>(state);
        in.put("x", Tensor.ofFloats(Shape.of(N, IMAGE[0], IMAGE[1], IMAGE[2]), images));
        in.put("y", Tensor.ofLongs(Shape.of(N), y));
        in.put("weight", Tensor.ofFloats(Shape.of(N), weight));
        in.put("perm", Tensor.ofLongs(Shape.of(N), perm));
        return in;
    }

    static float[][] logits(float[] images) {
        Map<String, Tensor> in = new HashMap<>(state);
        in.put("x", Tensor.ofFloats(Shape.of(N, IMAGE[0], IMAGE[1], IMAGE[2]), images));
        in.put("y", Tensor.ofLongs(Shape.of(N), y));
        float[] flat = evalSession.run(in, List.of("logits")).get("logits").floats();
        float[][] out = new float[N][CLASSES];
        for (int i = 0; i < N; i++) {
            System.arraycopy(flat, i * CLASSES, out[i], 0, CLASSES);
        }
        return out;
    }

    static double scalar(Map<String, Tensor> r, String name) {
        return r.get(name).asDoubles()[0];
    }

    /** Index of the k-th largest entry (k = 0: arg max). */
    static int rank(float[] v, int k) {
        Integer[] idx = new Integer[v.length];
        for (int i = 0; i < v.length; i++) {
            idx[i] = i;
        }
        java.util.Arrays.sort(idx, (a, b) -> Float.compare(v[b], v[a]));
        return idx[k];
    }

    @Test
    void inputGradientMatchesCentralFiniteDifferences() {
        Map<String, Tensor> r = suite.run(suiteInputs(x), List.of("loss", "grad_x"));
        float[] grad = r.get("grad_x").floats();
        double scale = 0;
        for (float g : grad) {
            scale = Math.max(scale, Math.abs(g));
        }
        assertTrue(scale > 1e-3, "a gradient to check: " + scale);
        int per = x.length / N;
        Random pick = new Random(2);
        for (int t = 0; t < 24; t++) {
            int j = pick.nextInt(4 * per); // the fifth image has weight 0: its gradient is 0
            float h = 1e-2f;
            float[] plus = x.clone();
            float[] minus = x.clone();
            plus[j] += h;
            minus[j] -= h;
            double fd = (scalar(suite.run(suiteInputs(plus), List.of("loss")), "loss")
                    - scalar(suite.run(suiteInputs(minus), List.of("loss")), "loss")) / (2 * h);
            assertEquals(fd, grad[j], 2e-3 * scale + 1e-5, "d loss / d x[" + j + "]");
        }
        for (int j = 4 * per; j < x.length; j++) {
            assertEquals(0f, grad[j], "padding image (weight 0) gets no gradient");
        }
    }

    @Test
    void fgsmStepsEpsilonInPixelSpaceAndClipsToThePixelRange() {
        GraphBuilder b = new GraphBuilder("fgsm");
        Ops o = new Ops(b);
        Shape s = Shape.of(1, 2, 1, 3);
        Value xs = b.input("x", DType.FLOAT, s);
        Value g = b.input("g", DType.FLOAT, s);
        double eps = 8.0 / 255;
        b.output(EvalSuiteGraph.fgsm(o, xs, g, eps, MEAN, STD), "x_adv");
        // pixels: inside, near 1, near 0 per channel; gradient signs +, +, - (and - + 0 for the second channel)
        float[] pixels = {0.5f, 0.99f, 0.01f, 0.5f, 0.02f, 0.7f};
        float[] grads = {0.3f, 2f, -1f, -0.1f, 1e-6f, 0f};
        float[] norm = new float[6];
        for (int i = 0; i < 6; i++) {
            int c = i / 3;
            norm[i] = (pixels[i] - MEAN[c]) / STD[c];
        }
        float[] adv;
        try (GraphSession fg = new GraphSession(b.buildModel())) {
            adv = fg.run(Map.of("x", Tensor.ofFloats(s, norm), "g", Tensor.ofFloats(s, grads))).get("x_adv").floats();
        }
        for (int i = 0; i < 6; i++) {
            int c = i / 3;
            double pixel = Math.min(1, Math.max(0, pixels[i] + eps * Math.signum(grads[i])));
            assertEquals((pixel - MEAN[c]) / STD[c], adv[i], 1e-5, "element " + i);
        }
    }

    @Test
    void countsMatchJavaOnTheClassifiersLogits() {
        Map<String, Tensor> r = suite.run(suiteInputs(x), List.of());
        float[][] clean = logits(x);
        double top1 = 0;
        double top5 = 0;
        double[] binCount = new double[15];
        double[] binConf = new double[15];
        double nll = 0;
        for (int i = 0; i < N; i++) {
            float[] p = softmax(clean[i]);
            int best = rank(clean[i], 0);
            boolean hit = best == y[i];
            boolean hit5 = false;
            for (int k = 0; k < 5; k++) {
                hit5 |= rank(clean[i], k) == y[i];
            }
            int bin = (int) Math.min(14, Math.ceil(p[best] * 15) - 1);
            binCount[bin] += weight[i];
            binConf[bin] += weight[i] * p[best];
            top1 += weight[i] * (hit ? 1 : 0);
            top5 += weight[i] * (hit5 ? 1 : 0);
            nll -= weight[i] * Math.log(p[(int) y[i]]);
        }
        assertEquals(top1, scalar(r, "top1"), 1e-6);
        assertEquals(top5, scalar(r, "top5"), 1e-6);
        assertEquals(nll, scalar(r, "loss"), 1e-4);
        double[] gotCount = r.get("bin_count").asDoubles();
        double[] gotConf = r.get("bin_confidence").asDoubles();
        for (int b = 0; b < 15; b++) {
            assertEquals(binCount[b], gotCount[b], 1e-6, "bin " + b);
            assertEquals(binConf[b], gotConf[b], 1e-5, "bin " + b);
        }
        for (double lam : SETTINGS.lams()) {
            float[] mixed = new float[x.length];
            int per = x.length / N;
            for (int i = 0; i < N; i++) {
                for (int j = 0; j < per; j++) {
                    mixed[i * per + j] = (float) (lam * x[i * per + j] + (1 - lam) * x[(int) perm[i] * per + j]);
                }
            }
            float[][] ml = logits(mixed);
            double pairs = 0;
            double mixedTop1 = 0;
            double mixedTop2 = 0;
            for (int i = 0; i < N; i++) {
                long partner = y[(int) perm[i]];
                double w = weight[i] * weight[(int) perm[i]] * (partner != y[i] ? 1 : 0);
                java.util.Set<Long> two = java.util.Set.of((long) rank(ml[i], 0), (long) rank(ml[i], 1));
                pairs += w;
                mixedTop1 += w * (rank(ml[i], 0) == y[i] ? 1 : 0);
                mixedTop2 += w * (two.equals(new java.util.HashSet<>(List.of(y[i], partner))) ? 1 : 0);
            }
            assertEquals(3, pairs, "pair 1-2 has equal labels and image 4 is padding: both left out");
            assertEquals(pairs, scalar(r, "mixed_pairs"), 1e-6);
            assertEquals(mixedTop1, scalar(r, EvalSuiteGraph.mixedOutput("top1", lam)), 1e-6, "lam " + lam);
            assertEquals(mixedTop2, scalar(r, EvalSuiteGraph.mixedOutput("top2", lam)), 1e-6, "lam " + lam);
        }
    }

    @Test
    void fgsmRaisesTheErrorOfATrainedModel() {
        int batch = 50;
        // synthetic pixels: class pattern + noise, around the normalisation's mean (0.5 +- a few 0.1 std)
        SyntheticImages data = new SyntheticImages(CLASSES, 2, 6, 0.8f, 21);
        float[] mean = {0.5f, 0.5f};
        float[] std = {0.1f, 0.1f};
        try (Vanilla method = new Vanilla(MethodContexts.of(TINY, IMAGE, batch, 1, new SgdHyper(0.9, 0),
                Double.NaN, null))) {
            for (int step = 0; step < 120; step++) {
                SyntheticImages.Batch b = data.next(batch);
                method.step(new Batch(step, b.x().floats(), b.y().longs(), new int[batch], 2, 6, 6),
                        new Iteration(0, step, 120, 0.1, new java.util.SplittableRandom(step)));
            }
            StepGraph g = EvalSuiteGraph.build(method.graphs().get(1), "logits", batch, IMAGE, mean, std, SETTINGS);
            Map<String, Tensor> in = new HashMap<>();
            g.stateInputs().forEach(io -> in.put(io.name(), method.classifiers().get(0).state().get().get(io.name())
                    .toTensor()));
            SyntheticImages.Batch test = data.next(batch);
            in.put("x", test.x());
            in.put("y", test.y());
            float[] ones = new float[batch];
            java.util.Arrays.fill(ones, 1f);
            in.put("weight", Tensor.ofFloats(Shape.of(batch), ones));
            in.put("perm", Tensor.ofLongs(Shape.of(batch), Sampling.permutation(new java.util.SplittableRandom(1), batch)));
            Map<String, Tensor> r;
            try (GraphSession s = new GraphSession(g.model())) {
                r = s.run(in, List.of("top1", "fgsm_top1"));
            }
            double clean = scalar(r, "top1") / batch;
            double adversarial = scalar(r, "fgsm_top1") / batch;
            assertTrue(clean > 0.7, "the tiny model learned the task: clean top-1 " + clean);
            assertTrue(1 - adversarial > 1 - clean, "FGSM error " + (1 - adversarial) + " above clean error "
                    + (1 - clean));
        }
    }

    static float[] softmax(float[] z) {
        double max = Double.NEGATIVE_INFINITY;
        for (float v : z) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (float v : z) {
            sum += Math.exp(v - max);
        }
        float[] p = new float[z.length];
        for (int i = 0; i < z.length; i++) {
            p[i] = (float) (Math.exp(z[i] - max) / sum);
        }
        return p;
    }
}
