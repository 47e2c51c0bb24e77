package org.automixonnx.mixup;

import static org.automixonnx.testing.TensorAssert.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.automixonnx.graphs.EvalGraph;
import org.automixonnx.graphs.GraphIo;
import org.automixonnx.graphs.Sgd;
import org.automixonnx.graphs.StepGraph;
import org.automixonnx.models.ResNet;
import org.automixonnx.models.ResNetConfig;
import org.automixonnx.onnx.Shape;
import org.automixonnx.onnx.Tensor;
import org.automixonnx.runtime.DirectTensor;
import org.automixonnx.runtime.GraphSession;
import org.automixonnx.runtime.SessionFactory;
import org.automixonnx.testing.TrainedState;
import org.junit.jupiter.api.Test;

/** PuzzleMix's graphs: the saliency against finite differences, and the per-sample mixing step. */
class PuzzleMixGraphsTest {
    @Test
    void saliencyIsTheChannelNormOfTheInputGradient() {
        long[] image = EvalSuiteGraphTest.IMAGE;
        int n = 3;
        StepGraph eval = new EvalGraph(EvalSuiteGraphTest.TINY, image).seed(3).build();
        Map<String, Tensor> state = TrainedState.randomise(eval.initialState(), 7);
        Map<String, DirectTensor> buffers = new LinkedHashMap<>();
        state.forEach((k, v) -> buffers.put(k, DirectTensor.copyOf(k, v)));
        Random r = new Random(9);
        int per = (int) (image[0] * image[1] * image[2]);
        int plane = (int) (image[1] * image[2]);
        float[] x = new float[n * per];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        long[] y = {1, 4, 6};
        float[] saliency;
        try (InputSaliency s = new InputSaliency(eval, "logits", n, image, SessionFactory.cpu())) {
            saliency = s.compute(x, y, buffers);
            assertArrayClose(saliency, s.compute(x, y, buffers)); // state views are reused across calls
        }
        assertEquals(n * plane, saliency.length);
        try (GraphSession session = new GraphSession(eval.model())) {
            for (int t = 0; t < 8; t++) {
                int i = r.nextInt(n);
                int p = r.nextInt(plane);
                double norm = 0;
                for (int c = 0; c < image[0]; c++) {
                    int j = i * per + c * plane + p;
                    float h = 1e-2f;
                    float[] plus = x.clone();
                    float[] minus = x.clone();
                    plus[j] += h;
                    minus[j] -= h;
                    // the graph's loss is the batch mean; image i's own CE moves n times as much
                    double fd = n * (loss(session, state, plus, y, image) - loss(session, state, minus, y, image)) / (2 * h);
                    norm += fd * fd;
                }
                norm = Math.sqrt(norm);
                assertEquals(norm, saliency[i * plane + p], 2e-3 * Math.max(norm, 1e-2), "sample " + i + " pixel " + p);
            }
        }
    }

    private static void assertArrayClose(float[] a, float[] b) {
        for (int i = 0; i < a.length; i++) {
            assertEquals(a[i], b[i], 0f);
        }
    }

    private static double loss(GraphSession s, Map<String, Tensor> state, float[] x, long[] y, long[] image) {
        Map<String, Tensor> in = new HashMap<>(state);
        in.put("x", Tensor.ofFloats(Shape.of(y.length, image[0], image[1], image[2]), x));
        in.put("y", Tensor.ofLongs(Shape.of(y.length), y));
        return s.run(in, List.of("loss")).get("loss").asDoubles()[0];
    }

    /**
     * The per-sample step (explicit partners, lam per sample) fed {@code x[perm]} as partners and the same lam for
     * every sample is the batch-wide step: same loss, same updated state.
     */
    @Test
    void perSampleStepWithSharedLambdaIsTheBatchWideStep() {
        ResNet net = new ResNet(ResNetConfig.resnet18Cifar(5).withBlocks(new int[] {1, 1, 1, 1}).withBaseWidth(4)
                .withInChannels(1));
        int n = 4;
        int h = 8;
        StepGraph shared = new SampleMixStep(net, new Sgd(false), n, 1, h, h).seed(2).build();
        StepGraph perSample = new SampleMixStep(net, new Sgd(false), n, 1, h, h).perSample(true).seed(2).build();
        Random r = new Random(3);
        float[] x = new float[n * h * h];
        float[] mask = new float[n * h * h];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
            mask[i] = r.nextBoolean() ? 1f : 0f;
        }
        long[] perm = {2, 0, 3, 1};
        float[] partners = new float[x.length];
        for (int i = 0; i < n; i++) {
            System.arraycopy(x, (int) perm[i] * h * h, partners, i * h * h, h * h);
        }
        Map<String, Tensor> common = new HashMap<>(shared.initialState());
        Shape images = Shape.of(n, 1, h, h);
        common.put("x", Tensor.ofFloats(images, x));
        common.put("y", Tensor.ofLongs(Shape.of(n), new long[] {0, 3, 3, 1}));
        common.put("perm", Tensor.ofLongs(Shape.of(n), perm));
        common.put("mix_mask", Tensor.ofFloats(Shape.of(n, 1, h, h), mask));
        common.put(Sgd.LR, Tensor.scalar(0.1f));
        common.put(Sgd.MOMENTUM, Tensor.scalar(0.9f));
        common.put(Sgd.WEIGHT_DECAY, Tensor.scalar(1e-4f));
        Map<String, Tensor> a = new HashMap<>(common);
        a.put("lam", Tensor.scalar(0.3f));
        Map<String, Tensor> b = new HashMap<>(common);
        b.put("lam", Tensor.filled(Shape.of(n, 1), 0.3f));
        b.put("x_partner", Tensor.ofFloats(images, partners));
        List<String> outs = shared.outputs().stream().map(GraphIo::name).toList();
        try (GraphSession sa = new GraphSession(shared.model()); GraphSession sb = new GraphSession(perSample.model())) {
            Map<String, Tensor> ra = sa.run(a, outs);
            Map<String, Tensor> rb = sb.run(b, outs);
            assertTrue(outs.size() > 3, outs.toString());
            for (String o : outs) {
                assertClose(o, ra.get(o), rb.get(o), 1e-5);
            }
        }
    }
}
