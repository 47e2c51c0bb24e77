package org.automixonnx.autodiff;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.automixonnx.onnx.DType;
import org.automixonnx.onnx.GraphBuilder;
import org.automixonnx.onnx.Ops;
import org.automixonnx.onnx.Shape;
import org.automixonnx.onnx.Tensor;
import org.automixonnx.onnx.Value;
import org.automixonnx.runtime.Device;
import org.automixonnx.runtime.GraphSession;
import org.automixonnx.runtime.SessionFactory;
import org.automixonnx.testing.RandomNormal;

/**
 * Times the Conv backward formulations on ORT CPU. Main subject: a ResNet-18-sized 3x3 conv (N=100,
 * 128 -> 128 channels, 16x16, stride 1, pad 1): the forward alone, each gradient formulation alone (fed
 * x, W and dY), alternatives for comparison, and forward + full backward through the Differentiator.
 * Also a stride-2 conv and a depthwise conv.
 *
 * <p>Not a unit test. Run: {@code mvn -q -B test-compile dependency:build-classpath
 * -Dmdep.outputFile=cp.txt} then {@code java -cp target/classes:target/test-classes:$(cat cp.txt)
 * org.automixonnx.autodiff.ConvGradBench [iterations]}; add {@code -Dprofile=/tmp/prof} before the class
 * name to print the slowest nodes of each graph from ORT's profiler.
 */
public final class ConvGradBench {
    private ConvGradBench() {
    }

    /** A conv's sizes: input [n, cin, hw, hw], weight [cout, cin/group, k, k]. */
    record Setup(String name, long n, long cin, long cout, long hw, long group, Window2d win) {
        long outHw() {
            return win.outSize(0, hw);
        }
    }

    /** Builds the timed graph from inputs x, w and dy (dy shaped like the conv output). */
    private interface Formulation {
        Value build(Ops o, Setup s, Value x, Value w, Value dy);
    }

    public static void main(String[] args) throws OrtException {
        int iters = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        Setup resnet = new Setup("3x3 s1 p1, N=100, 128->128, 16x16", 100, 128, 128, 16, 1, window(3, 1, 1));
        Setup strided = new Setup("3x3 s2 p1, N=100, 128->256, 16x16", 100, 128, 256, 16, 1, window(3, 2, 1));
        Setup depthwise = new Setup("depthwise 3x3 s1 p1, N=100, 96 ch, 16x16", 100, 96, 96, 16, 96, window(3, 1, 1));
        Map<String, Formulation> main = new LinkedHashMap<>();
        main.put("forward conv", ConvGradBench::forwardConv);
        main.put("weight grad: im2col conv + batched MatMul + ReduceSum",
                (o, s, x, w, dy) -> ConvGrads.weightGrad(o, x, w, dy, s.win(), s.group()));
        main.put("  im2col conv alone", (o, s, x, w, dy) -> Im2col.windows(o, x, s.win()));
        main.put("input grad: flipped-kernel Conv",
                (o, s, x, w, dy) -> ConvGrads.inputGrad(o, x, w, dy, s.win(), s.group()));
        main.put("input grad alternative: ConvTranspose", ConvGradBench::convTranspose);
        main.put("forward + backward (dX, dW via Differentiator)", ConvGradBench::forwardBackward);
        run(resnet, main, iters);

        Map<String, Formulation> grads = new LinkedHashMap<>();
        grads.put("forward conv", ConvGradBench::forwardConv);
        grads.put("weight grad", (o, s, x, w, dy) -> ConvGrads.weightGrad(o, x, w, dy, s.win(), s.group()));
        grads.put("input grad", (o, s, x, w, dy) -> ConvGrads.inputGrad(o, x, w, dy, s.win(), s.group()));
        run(strided, grads, iters);
        run(depthwise, grads, iters);
    }

    static Window2d window(long k, long stride, long pad) {
        return new Window2d(k, k, new long[] {stride, stride}, new long[] {pad, pad, pad, pad}, new long[] {1, 1});
    }

    private static void run(Setup s, Map<String, Formulation> cases, int iters) throws OrtException {
        Random r = new Random(1);
        Map<String, Tensor> feeds = Map.of(
                "x", RandomNormal.tensor(r, Shape.of(s.n(), s.cin(), s.hw(), s.hw())),
                "w", RandomNormal.tensor(r, Shape.of(s.cout(), s.cin() / s.group(), s.win().kh(), s.win().kw()),
                        0.05f),
                "dy", RandomNormal.tensor(r, Shape.of(s.n(), s.cout(), s.outHw(), s.outHw())));
        System.out.printf("Conv %s, %d iterations (median / min ms per run)%n", s.name(), iters);
        for (Map.Entry<String, Formulation> e : cases.entrySet()) {
            double[] t = time(s, e.getValue(), feeds, iters);
            System.out.printf("  %-56s %8.1f / %6.1f%n", e.getKey(), t[0], t[1]);
        }
    }

    private static Value forwardConv(Ops o, Setup s, Value x, Value w, Value dy) {
        Window2d win = s.win();
        return o.conv(x, w, null, win.strides(), win.pads(), win.dilations(), s.group());
    }

    private static Value convTranspose(Ops o, Setup s, Value x, Value w, Value dy) {
        return o.builder().op("ConvTranspose", List.of(dy, w), s.win().transposeAttrs(s.hw(), s.hw(), s.group()));
    }

    /** loss = sum(conv(x, w) * dy), so the backward seeds the conv output with exactly dy. */
    private static Value forwardBackward(Ops o, Setup s, Value x, Value w, Value dy) {
        Value loss = o.reduceSumAll(o.mul(forwardConv(o, s, x, w, dy), dy));
        Map<Value, Value> g = new Differentiator(o.builder()).detach(List.of(dy)).gradients(loss, List.of(x, w));
        o.builder().output(g.get(x), "dx");
        return g.get(w);
    }

    /** Mean kernel time per node from an ORT profile (-Dprofile=DIR), largest first. */
    private static void printNodeTimes(String profileFile, int runs) {
        try {
            Map<String, Long> us = new LinkedHashMap<>();
            for (JsonNode e : new ObjectMapper().readTree(new java.io.File(profileFile))) {
                String name = e.path("name").asText();
                if (e.path("cat").asText().equals("Node") && name.endsWith("_kernel_time")) {
                    String op = e.path("args").path("op_name").asText();
                    us.merge(name.replace("_kernel_time", "") + " (" + op + ")", e.path("dur").asLong(), Long::sum);
                }
            }
            us.entrySet().stream().sorted((p, q) -> Long.compare(q.getValue(), p.getValue())).limit(8)
                    .forEach(e -> System.out.printf("      %-60s %7.1f ms%n", e.getKey(), e.getValue() / 1e3 / runs));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Median and minimum per-run time in ms; the minimum is the least disturbed on a shared machine. */
    private static double[] time(Setup s, Formulation f, Map<String, Tensor> feeds, int iters) throws OrtException {
        GraphBuilder b = new GraphBuilder("bench");
        Ops o = new Ops(b);
        Value x = b.input("x", DType.FLOAT, feeds.get("x").shape());
        Value w = b.input("w", DType.FLOAT, feeds.get("w").shape());
        Value dy = b.input("dy", DType.FLOAT, feeds.get("dy").shape());
        b.output(f.build(o, s, x, w, dy), "out");
        String profile = System.getProperty("profile");
        SessionFactory factory = profile == null ? SessionFactory.cpu()
                : new SessionFactory(Device.CPU, 0, java.nio.file.Path.of(profile));
        try (GraphSession session = new GraphSession(b.buildModel(), factory)) {
            OrtSession ort = session.ort();
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
            if (profile != null) {
                printNodeTimes(ort.endProfiling(), iters + 2);
            }
            Arrays.sort(ms);
            return new double[] {ms[iters / 2], ms[0]};
        }
    }
}
