package org.automixonnx.runtime;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.automixonnx.autodiff.Differentiator;
import org.automixonnx.graphs.GraphIo;
import org.automixonnx.graphs.Role;
import org.automixonnx.graphs.StepGraph;
import org.automixonnx.onnx.DType;
import org.automixonnx.onnx.GraphBuilder;
import org.automixonnx.onnx.Ops;
import org.automixonnx.onnx.Shape;
import org.automixonnx.onnx.Tensor;
import org.automixonnx.onnx.Value;
import org.automixonnx.testing.RandomNormal;

/**
 * A tiny train step built by hand for runner tests: linear regression {@code pred = scale * (x W + b)}
 * with MSE loss, trained by SGD with momentum ({@code v' = mu v + g}, {@code p' = p - lr v'}). It has
 * every kind of interface the real steps have: updated float state, an updated int64 counter
 * ({@code opt.step}), read-only state ({@code scale}, no {@code .next}), float and hyper-parameter
 * inputs, a loss and a metric output.
 */
public final class LinearRegressionStep {
    public static final int N = 8;
    public static final int D = 5;
    public static final int K = 3;

    private LinearRegressionStep() {
    }

    public static StepGraph build(long seed) {
        GraphBuilder b = new GraphBuilder("linreg_step");
        Ops o = new Ops(b);
        List<GraphIo> ins = new ArrayList<>();
        List<GraphIo> outs = new ArrayList<>();
        Value w = input(b, ins, "W", Role.PARAMETER, DType.FLOAT, Shape.of(D, K));
        Value bias = input(b, ins, "b", Role.PARAMETER, DType.FLOAT, Shape.of(K));
        Value vw = input(b, ins, "opt.W.v", Role.OPTIMIZER_STATE, DType.FLOAT, Shape.of(D, K));
        Value vb = input(b, ins, "opt.b.v", Role.OPTIMIZER_STATE, DType.FLOAT, Shape.of(K));
        Value step = input(b, ins, "opt.step", Role.OPTIMIZER_STATE, DType.INT64, Shape.SCALAR);
        Value scale = input(b, ins, "scale", Role.PARAMETER, DType.FLOAT, Shape.SCALAR);
        Value x = input(b, ins, "x", Role.DATA, DType.FLOAT, Shape.of(N, D));
        Value y = input(b, ins, "y", Role.DATA, DType.FLOAT, Shape.of(N, K));
        Value lr = input(b, ins, "hp.lr", Role.HYPER_PARAMETER, DType.FLOAT, Shape.SCALAR);
        Value mu = input(b, ins, "hp.momentum", Role.HYPER_PARAMETER, DType.FLOAT, Shape.SCALAR);

        Value diff = o.sub(o.mul(o.add(o.matmul(x, w), bias), scale), y);
        Value loss = o.reduceMeanAll(o.mul(diff, diff));
        Map<Value, Value> g = new Differentiator(b).gradients(loss, List.of(w, bias));

        output(b, outs, loss, "loss", Role.LOSS);
        output(b, outs, o.reduceMeanAll(o.abs(diff)), "mae", Role.METRIC);
        sgdMomentum(b, o, outs, w, vw, g.get(w), lr, mu);
        sgdMomentum(b, o, outs, bias, vb, g.get(bias), lr, mu);
        output(b, outs, o.add(step, b.constant(Tensor.scalar(1L))), GraphIo.next("opt.step"), Role.OPTIMIZER_STATE);

        Random r = new Random(seed);
        Map<String, Tensor> init = new LinkedHashMap<>();
        init.put("W", RandomNormal.tensor(r, Shape.of(D, K), 0.3f));
        init.put("b", RandomNormal.tensor(r, Shape.of(K), 0.3f));
        init.put("opt.W.v", Tensor.zeros(DType.FLOAT, Shape.of(D, K)));
        init.put("opt.b.v", Tensor.zeros(DType.FLOAT, Shape.of(K)));
        init.put("opt.step", Tensor.scalar(0L));
        init.put("scale", Tensor.scalar(1.5f));
        return new StepGraph(b.buildModel(), ins, outs, init);
    }

    private static void sgdMomentum(GraphBuilder b, Ops o, List<GraphIo> outs, Value p, Value v, Value grad,
            Value lr, Value mu) {
        Value vNext = o.add(o.mul(v, mu), grad);
        output(b, outs, vNext, GraphIo.next(v.name()), Role.OPTIMIZER_STATE);
        output(b, outs, o.sub(p, o.mul(vNext, lr)), GraphIo.next(p.name()), Role.PARAMETER);
    }

    private static Value input(GraphBuilder b, List<GraphIo> ins, String name, Role role, DType t, Shape s) {
        ins.add(new GraphIo(name, role, t, s));
        return b.input(name, t, s);
    }

    private static void output(GraphBuilder b, List<GraphIo> outs, Value v, String name, Role role) {
        Value out = b.output(v, name);
        outs.add(new GraphIo(name, role, out.dtype(), out.shape()));
    }

    /** A regression target from a fixed true linear map, so that the loss can go down. */
    static Tensor target(Tensor x, Random r) {
        float[] xs = x.floats();
        float[] ys = new float[N * K];
        for (int n = 0; n < N; n++) {
            for (int k = 0; k < K; k++) {
                float s = 0.2f * k;
                for (int d = 0; d < D; d++) {
                    s += xs[n * D + d] * ((d + 1) * 0.1f - 0.25f * k);
                }
                ys[n * K + k] = s + 0.01f * (float) r.nextGaussian();
            }
        }
        return Tensor.ofFloats(Shape.of(N, K), ys);
    }
}
