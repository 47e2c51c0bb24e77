package org.automixonnx.autodiff;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BiFunction;
import org.automixonnx.onnx.DType;
import org.automixonnx.onnx.GraphBuilder;
import org.automixonnx.onnx.Ops;
import org.automixonnx.onnx.Shape;
import org.automixonnx.onnx.Tensor;
import org.automixonnx.onnx.Value;
import org.automixonnx.runtime.GraphSession;

/**
 * Times the Conv backward formulations on a ResNet-18-sized 3x3 conv (N=100, 128 -> 128 channels,
 * 16x16, stride 1, pad 1) on ORT CPU: the forward alone, each gradient formulation alone (fed x, W
 * and dY), an alternative for comparison, and forward + full backward through the Differentiator.
 *
 * <p>Not a unit test. Run: {@code mvn -q -B test-compile dependency:build-classpath
 * -Dmdep.outputFile=cp.txt} then {@code java -cp target/classes:target/test-classes:$(cat cp.txt)
 * org.automixonnx.autodiff.ConvGradBench [iterations]}.
 */
public final class ConvGradBench {
    private static final long N = 100;
    private static final long C = 128;
    private static final long HW = 16;

    private ConvGradBench() {
    }

    /** A graph over inputs x, w, dy (dy shaped like the conv output) and the value it computes. */
    private interface Formulation extends BiFunction<Ops, Value[], Value> {
    }

    public static void main(String[] args) throws OrtException {
        int iters = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        Window2d win = new Window2d(3, 3, new long[] {1, 1}, new long[] {1, 1, 1, 1}, new long[] {1, 1});
        Map<String, Formulation> cases = new LinkedHashMap<>();
        cases.put("forward conv", (o, v) -> forwardConv(o, v, win));
        cases.put("weight grad (im2col conv + batched MatMul + ReduceSum)",
                (o, v) -> ConvGrads.weightGrad(o, v[0], v[1], v[2], win, 1));
        cases.put("input grad (flipped-kernel Conv)", (o, v) -> ConvGrads.inputGrad(o, v[0], v[1], v[2], win, 1));
        cases.put("input grad alternative (ConvTranspose)", (o, v) -> o.builder().op("ConvTranspose",
                List.of(v[2], v[1]), win.transposeAttrs(HW, HW, 1)));
        cases.put("forward + backward (dX, dW via Differentiator)", ConvGradBench::forwardBackward);
        Random r = new Random(1);
        Map<String, Tensor> feeds = Map.of(
                "x", GradCheck.randnTensor(r, Shape.of(N, C, HW, HW), 0f, 1f),
                "w", GradCheck.randnTensor(r, Shape.of(C, C, 3, 3), 0f, 0.05f),
                "dy", GradCheck.randnTensor(r, Shape.of(N, C, HW, HW), 0f, 1f));
        System.out.printf("Conv 3x3 s1 p1, N=%d, %d->%d channels, %dx%d, %d iterations%n", N, C, C, HW, HW, iters);
        for (Map.Entry<String, Formulation> e : cases.entrySet()) {
            double[] t = time(e.getValue(), feeds, iters);
            System.out.printf("%-55s median %7.1f ms/iter, min %7.1f%n", e.getKey(), t[0], t[1]);
        }
    }

    private static Value forwardConv(Ops o, Value[] v, Window2d win) {
        return o.conv(v[0], v[1], null, win.strides(), win.pads(), win.dilations(), 1);
    }

    /** loss = sum(conv(x, w) * dy), so the backward seeds the conv output with exactly dy. */
    private static Value forwardBackward(Ops o, Value[] v) {
        Value y = o.conv2d(v[0], v[1], null, 1, 1, 1, 1);
        Value loss = o.reduceSumAll(o.mul(y, v[2]));
        Map<Value, Value> g = new Differentiator(o.builder()).detach(List.of(v[2])).gradients(loss, List.of(v[0], v[1]));
        o.builder().output(g.get(v[0]), "dx");
        return g.get(v[1]);
    }

    /** Median and minimum per-run time in ms; the minimum is the least disturbed on a shared machine. */
    private static double[] time(Formulation f, Map<String, Tensor> feeds, int iters) throws OrtException {
        GraphBuilder b = new GraphBuilder("bench");
        Ops o = new Ops(b);
        Value[] v = {
            b.input("x", DType.FLOAT, feeds.get("x").shape()),
            b.input("w", DType.FLOAT, feeds.get("w").shape()),
            b.input("dy", DType.FLOAT, feeds.get("dy").shape())};
        b.output(f.apply(o, v), "out");
        try (GraphSession s = new GraphSession(b.buildModel())) {
            OrtSession ort = s.ort();
            Map<String, OnnxTensor> ortFeeds = new LinkedHashMap<>();
            for (String name : ort.getInputNames()) {
                ortFeeds.put(name, GraphSession.toOrt(feeds.get(name)));
            }
            for (int i = 0; i < 2; i++) {
                ort.run(ortFeeds).close();
            }
            double[] ms = new double[iters];
            for (int i = 0; i < iters; i++) {
                long t0 = System.nanoTime();
                ort.run(ortFeeds).close();
                ms[i] = (System.nanoTime() - t0) / 1e6;
            }
            ortFeeds.values().forEach(OnnxTensor::close);
            java.util.Arrays.sort(ms);
            return new double[] {ms[iters / 2], ms[0]};
        }
    }
}
