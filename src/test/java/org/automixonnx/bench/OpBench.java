package org.automixonnx.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import java.util.ArrayList;
import java.util.Arrays;
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
import org.automixonnx.testing.RandomNormal;

/**
 * Times alternative standard-op formulations of the same computation on ORT CPU (not a unit test:
 * run by hand, e.g. {@code java -cp target/classes:target/test-classes:$(cat cp.txt) org.automixonnx.bench.OpBench}).
 */
public final class OpBench {
    static double time(String label, long[][] inputShapes, BiFunction<Ops, List<Value>, Value> body) {
        GraphBuilder b = new GraphBuilder("bench");
        List<Value> ins = new ArrayList<>();
        Map<String, Tensor> feed = new LinkedHashMap<>();
        Random r = new Random(1);
        for (int i = 0; i < inputShapes.length; i++) {
            Shape s = Shape.of(inputShapes[i]);
            ins.add(b.input("in" + i, DType.FLOAT, s));
            feed.put("in" + i, RandomNormal.tensor(r, s));
        }
        Value out = body.apply(new Ops(b), ins);
        b.output(new Ops(b).reduceSumAll(out), "out");
        // inputs go to ORT once: converting them per run would time the copy of large inputs too
        Map<String, OnnxTensor> ortFeed = new LinkedHashMap<>();
        try (GraphSession s = new GraphSession(b.buildModel())) {
            for (Map.Entry<String, Tensor> e : feed.entrySet()) {
                ortFeed.put(e.getKey(), GraphSession.toOrt(e.getValue()));
            }
            double[] t = new double[15];
            for (int i = 0; i < 3 + t.length; i++) {
                long t0 = System.nanoTime();
                s.ort().run(ortFeed).close();
                if (i >= 3) {
                    t[i - 3] = (System.nanoTime() - t0) / 1e6;
                }
            }
            Arrays.sort(t);
            System.out.printf("%-50s median %8.2f ms, min %8.2f ms%n", label, t[t.length / 2], t[0]);
            return t[t.length / 2];
        } catch (OrtException e) {
            throw new IllegalStateException(e);
        } finally {
            ortFeed.values().forEach(OnnxTensor::close);
        }
    }

    /** Weight gradient of a 3x3 pad-1 conv in the formulation the autodiff picks for its shape. */
    static void convWeightGrad(long n, long c, long hw) {
        time("dW N=" + n + " C=" + c + " HW=" + hw, new long[][] {{n, c, hw, hw}, {c, c, 3, 3}, {n, c, hw, hw}},
                (o, in) -> {
                    Value y = o.conv2d(in.get(0), in.get(1), null, 1, 1, 1, 1);
                    Value l = o.reduceSumAll(o.mul(y, in.get(2)));
                    return new org.automixonnx.autodiff.Differentiator(o.builder()).gradients(l, List.of(in.get(1)))
                            .get(in.get(1));
                });
    }

    static Tensor oneHot(long c) {
        float[] v = new float[(int) c * 81];
        for (int ch = 0; ch < c; ch++) {
            for (int t = 0; t < 9; t++) {
                v[(ch * 9 + t) * 9 + t] = 1f;
            }
        }
        return Tensor.ofFloats(Shape.of(c * 9, 1, 3, 3), v);
    }

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("smallconv")) {
            for (long[] cfg : new long[][] {{100, 16, 28}, {100, 32, 14}, {100, 64, 7}, {100, 64, 32}}) {
                long n = cfg[0];
                long c = cfg[1];
                long hw = cfg[2];
                time("conv fwd N=" + n + " C=" + c + " HW=" + hw, new long[][] {{n, c, hw, hw}, {c, c, 3, 3}},
                        (o, in) -> o.conv2d(in.get(0), in.get(1), null, 1, 1, 1, 1));
                time("  im2col onehot conv", new long[][] {{n, c, hw, hw}},
                        (o, in) -> o.builder().op("Conv", List.of(in.get(0), o.constant(oneHot(c))),
                                Map.of("group", c, "pads", new long[] {1, 1, 1, 1})));
                time("  im2col 9 slices+concat", new long[][] {{n, c, hw, hw}}, (o, in) -> {
                    Value p = o.pad(in.get(0), new long[] {0, 0, 1, 1, 0, 0, 1, 1}, null);
                    List<Value> parts = new ArrayList<>();
                    for (int dy = 0; dy < 3; dy++) {
                        for (int dx = 0; dx < 3; dx++) {
                            parts.add(o.unsqueeze(o.slice(p, new long[] {dy, dx}, new long[] {dy + hw, dx + hw},
                                    new long[] {2, 3}, null), 2));
                        }
                    }
                    return o.concat(parts, 2);
                });
                time("  conv as batch-merged: reshape N into H", new long[][] {{n, c, hw, hw}, {c, c, 3, 3}},
                        (o, in) -> {
                            // all images side by side in one tall image with a zero row between them
                            Value p = o.pad(in.get(0), new long[] {0, 0, 0, 0, 0, 0, 1, 0}, null);
                            Value tall = o.reshape(o.transpose(p, 1, 0, 2, 3), 1, c, n * (hw + 1), hw);
                            return o.conv2d(tall, in.get(1), null, 1, 1, 1, 1);
                        });
            }
            return;
        }
        if (args.length > 0 && args[0].equals("dworient")) {
            // the per-sample weight-gradient product in both orientations, on im2col columns [N, 9C, P]
            for (long[] cfg : new long[][] {{100, 64, 1024}, {100, 128, 256}}) {
                long n = cfg[0];
                long c = cfg[1];
                long p = cfg[2];
                long[][] shapes = {{n, c, p}, {n, 9 * c, p}};
                for (int round = 0; round < 3; round++) {
                    time("dW dY x cols^T, C=" + c + " P=" + p, shapes, (o, in) -> o.reduceSum(
                            o.matmul(in.get(0), o.transpose(in.get(1), 0, 2, 1)), false, 0));
                    time("dW (cols x dY^T)^T, C=" + c + " P=" + p, shapes, (o, in) -> o.transpose(o.reduceSum(
                            o.matmul(in.get(1), o.transpose(in.get(0), 0, 2, 1)), false, 0), 1, 0));
                }
            }
            return;
        }
        if (args.length > 0 && args[0].equals("winograd")) {
            // a 3x3 conv as Winograd F(2x2, 3x3) against the batch-GEMM lowering and ORT's Conv: forward alone,
            // forward + both gradients, and the weight gradient alone (the differentiator on each formulation)
            for (long[] cfg : new long[][] {{100, 256, 8}, {100, 512, 4}, {100, 128, 16}, {100, 64, 32}}) {
                long n = cfg[0];
                long c = cfg[1];
                long h = cfg[2];
                long[][] shapes = {{n, c, h, h}, {c, c, 3, 3}, {n, c, h, h}};
                Map<String, BiFunction<Ops, List<Value>, Value>> forms = new LinkedHashMap<>();
                forms.put("Conv", (o, in) -> o.conv2d(in.get(0), in.get(1), null, 1, 1, 1, 1));
                forms.put("batch GEMM", (o, in) -> org.automixonnx.autodiff.BatchGemmConv.conv2d(o, in.get(0),
                        in.get(1), 1, 1));
                forms.put("Winograd", (o, in) -> org.automixonnx.graphs.WinogradConv.conv2d(o, in.get(0),
                        in.get(1)));
                for (int round = 0; round < 2; round++) {
                    for (Map.Entry<String, BiFunction<Ops, List<Value>, Value>> f : forms.entrySet()) {
                        time(f.getKey() + " fwd, C=" + c + " H=" + h, shapes, f.getValue());
                        time(f.getKey() + " fwd+dX+dW, C=" + c + " H=" + h, shapes, (o, in) -> {
                            Value l = o.reduceSumAll(o.mul(f.getValue().apply(o, in), in.get(2)));
                            Map<Value, Value> g = new org.automixonnx.autodiff.Differentiator(o.builder())
                                    .gradients(l, List.of(in.get(0), in.get(1)));
                            return o.add(o.reduceSumAll(g.get(in.get(0))), o.reduceSumAll(g.get(in.get(1))));
                        });
                        // the weight gradient alone (the forward output is pruned)
                        time(f.getKey() + " dW, C=" + c + " H=" + h, shapes, (o, in) -> {
                            Value l = o.reduceSumAll(o.mul(f.getValue().apply(o, in), in.get(2)));
                            return new org.automixonnx.autodiff.Differentiator(o.builder())
                                    .gradients(l, List.of(in.get(1))).get(in.get(1));
                        });
                    }
                }
            }
            return;
        }
        if (args.length > 0 && args[0].equals("tall")) {
            // a few-position stage's stride-1 3x3 conv as one tall image (the batch stacked along H, one zero
            // row between images) against the batch-GEMM lowering: forward, input-gradient and the columns
            for (long[] cfg : new long[][] {{100, 256, 8}, {100, 512, 4}}) {
                long n = cfg[0];
                long c = cfg[1];
                long h = cfg[2];
                long[][] shapes = {{n, c, h, h}, {c, c, 3, 3}};
                for (int round = 0; round < 3; round++) {
                    time("batch GEMM fwd (cols+T+MatMul+T), C=" + c + " H=" + h, shapes, (o, in) -> {
                        Value cols = o.builder().op("Conv", List.of(in.get(0), o.constant(oneHot(c))),
                                Map.of("pads", new long[] {1, 1, 1, 1}, "group", c));
                        Value bc = o.reshape(o.transpose(o.reshape(cols, n, 9 * c, h * h), 1, 0, 2), 9 * c,
                                n * h * h);
                        Value y = o.matmul(o.reshape(in.get(1), c, 9 * c), bc);
                        return o.transpose(o.reshape(y, c, n, h, h), 1, 0, 2, 3);
                    });
                    time("tall Conv fwd (T+Pad+Conv+Slice+T), C=" + c + " H=" + h, shapes, (o, in) -> {
                        Value t = o.pad(o.transpose(in.get(0), 1, 0, 2, 3), new long[] {0, 0, 0, 0, 0, 0, 1, 0},
                                null);
                        Value y = o.conv2d(o.reshape(t, 1, c, n * (h + 1), h), in.get(1), null, 1, 1, 1, 1);
                        Value s = o.slice(o.reshape(y, c, n, h + 1, h), new long[] {0}, new long[] {h},
                                new long[] {2}, null);
                        return o.transpose(s, 1, 0, 2, 3);
                    });
                    time("tall Conv only, C=" + c + " H=" + h, new long[][] {{1, c, n * (h + 1), h}, {c, c, 3, 3}},
                            (o, in) -> o.conv2d(in.get(0), in.get(1), null, 1, 1, 1, 1));
                    time("tall one-hot cols [9C, N(H+1)W], C=" + c + " H=" + h,
                            new long[][] {{1, c, n * (h + 1), h}}, (o, in) -> o.builder().op("Conv",
                                    List.of(in.get(0), o.constant(oneHot(c))),
                                    Map.of("pads", new long[] {1, 1, 1, 1}, "group", c)));
                    time("batch one-hot cols + T, C=" + c + " H=" + h, new long[][] {{n, c, h, h}},
                            (o, in) -> o.transpose(o.reshape(o.builder().op("Conv",
                                    List.of(in.get(0), o.constant(oneHot(c))),
                                    Map.of("pads", new long[] {1, 1, 1, 1}, "group", c)), n, 9 * c, h * h), 1, 0,
                                    2));
                }
            }
            return;
        }
        if (args.length > 0 && args[0].equals("batchcols")) {
            // batch-major im2col [9C, N*P] for BatchGemmConv: one-hot Conv + Transpose, or Slices of CNHW x
            for (long[] cfg : new long[][] {{100, 256, 8}, {100, 512, 4}}) {
                long n = cfg[0];
                long c = cfg[1];
                long h = cfg[2];
                long[][] shapes = {{n, c, h, h}};
                for (int round = 0; round < 3; round++) {
                    time("cols one-hot Conv + Transpose, C=" + c + " H=" + h, shapes, (o, in) -> {
                        Value cols = o.builder().op("Conv", List.of(in.get(0), o.constant(oneHot(c))),
                                Map.of("pads", new long[] {1, 1, 1, 1}, "group", c));
                        return o.transpose(o.reshape(cols, n, 9 * c, h * h), 1, 0, 2);
                    });
                    time("cols CNHW Pad + 9 Slice + Concat, C=" + c + " H=" + h, shapes, (o, in) -> {
                        Value t = o.pad(o.transpose(in.get(0), 1, 0, 2, 3), new long[] {0, 0, 1, 1, 0, 0, 1, 1},
                                null);
                        List<Value> taps = new ArrayList<>();
                        for (long i = 0; i < 3; i++) {
                            for (long j = 0; j < 3; j++) {
                                taps.add(o.unsqueeze(o.slice(t, new long[] {i, j}, new long[] {i + h, j + h},
                                        new long[] {2, 3}, new long[] {1, 1}), 1));
                            }
                        }
                        return o.reshape(o.concat(taps, 1), 9 * c, n * h * h);
                    });
                }
            }
            return;
        }
        if (args.length > 0 && args[0].equals("im2col")) {
            // im2col [N, 9C, H, W] of a 3x3 pad-1 window: the one-hot depthwise Conv (9 outputs per group),
            // the same kernel as a group-1 Conv over N*C one-channel images, or 9 one-tap depthwise Convs
            for (long[] cfg : new long[][] {{100, 64, 32}, {100, 128, 16}, {100, 256, 8}}) {
                long n = cfg[0];
                long c = cfg[1];
                long h = cfg[2];
                long[][] shapes = {{n, c, h, h}};
                Map<String, Object> pad1 = Map.of("pads", new long[] {1, 1, 1, 1});
                for (int round = 0; round < 2; round++) {
                    time("one-hot depthwise Conv, C=" + c + " H=" + h, shapes, (o, in) -> o.builder().op("Conv",
                            List.of(in.get(0), o.constant(oneHot(c))),
                            Map.of("pads", new long[] {1, 1, 1, 1}, "group", c)));
                    time("one-channel images Conv, C=" + c + " H=" + h, shapes, (o, in) -> {
                        Value x1 = o.reshape(in.get(0), n * c, 1, h, h);
                        Value y = o.builder().op("Conv", List.of(x1, o.constant(oneHot(1))), pad1);
                        return o.reshape(y, n, c * 9, h, h);
                    });
                    time("9 one-tap depthwise Convs + Concat, C=" + c + " H=" + h, shapes, (o, in) -> {
                        List<Value> taps = new ArrayList<>();
                        for (int t = 0; t < 9; t++) {
                            float[] v = new float[(int) c * 9];
                            for (int ch = 0; ch < c; ch++) {
                                v[ch * 9 + t] = 1f;
                            }
                            Value k = o.constant(Tensor.ofFloats(Shape.of(c, 1, 3, 3), v));
                            taps.add(o.unsqueeze(o.builder().op("Conv", List.of(in.get(0), k),
                                    Map.of("pads", new long[] {1, 1, 1, 1}, "group", c)), 2));
                        }
                        return o.reshape(o.concat(taps, 2), n, c * 9, h, h);
                    });
                }
            }
            return;
        }
        if (args.length > 0 && args[0].equals("colsfwd")) {
            // a stride-1 3x3 conv's forward as ORT's Conv, or as a product with im2col columns the weight
            // gradient needs anyway (per-image W x cols, or cols^T x W^T into channels-last)
            for (long[] cfg : new long[][] {{100, 64, 32}, {100, 128, 16}}) {
                long n = cfg[0];
                long c = cfg[1];
                long h = cfg[2];
                long[][] shapes = {{n, c, h, h}, {c, c, 3, 3}};
                Map<String, Object> onehot = Map.of("pads", new long[] {1, 1, 1, 1}, "group", c);
                for (int round = 0; round < 2; round++) {
                    time("Conv, C=" + c + " H=" + h, shapes, (o, in) -> o.conv2d(in.get(0), in.get(1), null, 1, 1,
                            1, 1));
                    time("im2col only, C=" + c + " H=" + h, shapes, (o, in) -> o.builder().op("Conv",
                            List.of(in.get(0), o.constant(oneHot(c))), onehot));
                    time("im2col + W x cols, C=" + c + " H=" + h, shapes, (o, in) -> {
                        Value cols = o.reshape(o.builder().op("Conv", List.of(in.get(0), o.constant(oneHot(c))),
                                onehot), n, 9 * c, h * h);
                        return o.matmul(o.reshape(in.get(1), c, 9 * c), cols);
                    });
                    time("im2col + cols^T x W^T + Transpose, C=" + c + " H=" + h, shapes, (o, in) -> {
                        Value cols = o.reshape(o.builder().op("Conv", List.of(in.get(0), o.constant(oneHot(c))),
                                onehot), n, 9 * c, h * h);
                        Value wt = o.transpose(o.reshape(in.get(1), c, 9 * c), 1, 0);
                        return o.transpose(o.matmul(o.transpose(cols, 0, 2, 1), wt), 0, 2, 1);
                    });
                }
            }
            return;
        }
        if (args.length > 0 && args[0].equals("peak")) {
            // what ORT's SGEMM reaches on this machine: the ceiling for the GFLOP/s bench --profile reports
            for (long n : new long[] {512, 1024, 2048}) {
                double ms = time("MatMul " + n + "^3", new long[][] {{n, n}, {n, n}}, (o, in) -> o.matmul(in.get(0),
                        in.get(1)));
                System.out.printf("  %.0f GFLOP/s%n", 2.0 * n * n * n / ms / 1e6);
            }
            return;
        }
        if (args.length > 0 && args[0].equals("bnforward")) {
            // train-mode BatchNorm forward: the batch variance and the normalisation, at the 28 px w0.25 stem
            // and the 32 px width-1 stem. ReduceSumSquare of xc is no faster than ReduceMean(Mul(xc, xc))
            // (0.97 against 0.91-0.98 ms, 5.4-5.7 against 4.9-5.4 ms), so BatchNorm2d keeps the latter
            for (long[] act : new long[][] {{100, 16, 28, 28}, {100, 64, 32, 32}}) {
                long c = act[1];
                float invCount = (float) c / (act[0] * act[1] * act[2] * act[3]);
                long[][] shapes = {act, {1, c, 1, 1}, {1, c, 1, 1}};
                for (int round = 0; round < 2; round++) {
                    time("var ReduceMean(Mul(xc, xc)) " + c, shapes, (o, in) -> {
                        Value xc = o.sub(in.get(0), o.reduceMean(in.get(0), true, 0, 2, 3));
                        return o.add(o.reduceMean(o.mul(xc, xc), true, 0, 2, 3), o.reduceSumAll(xc));
                    });
                    time("var ReduceSumSquare(xc) / n " + c, shapes, (o, in) -> {
                        Value xc = o.sub(in.get(0), o.reduceMean(in.get(0), true, 0, 2, 3));
                        Value ss = o.builder().op("ReduceSumSquare", List.of(xc),
                                Map.of("axes", new long[] {0, 2, 3}, "keepdims", 1L));
                        return o.add(o.mul(ss, invCount), o.reduceSumAll(xc));
                    });
                    time("normalise Mul(xc, scale) + shift " + c, shapes, (o, in) -> o.add(o.mul(in.get(0),
                            in.get(1)), in.get(2)));
                }
            }
            return;
        }
        if (args.length > 0 && args[0].equals("reluparts")) {
            // the pieces of the ReLU backward and of a two-term gradient sum, one op at a time
            long[] act = {100, 64, 32, 32};
            for (int round = 0; round < 2; round++) {
                time("reduce only", new long[][] {act}, (o, in) -> in.get(0));
                time("Greater + Cast", new long[][] {act}, (o, in) -> o.cast(o.greater(in.get(0), o.scalar(0f)),
                        DType.FLOAT));
                time("Min", new long[][] {act}, (o, in) -> o.min(in.get(0), o.scalar(1f)));
                time("Ceil", new long[][] {act}, (o, in) -> o.builder().op("Ceil", in.get(0)));
                time("Ceil(Min)", new long[][] {act}, (o, in) -> o.builder().op("Ceil", o.min(in.get(0),
                        o.scalar(1f))));
                time("Mul", new long[][] {act, act}, (o, in) -> o.mul(in.get(0), in.get(1)));
                time("Sum of 2", new long[][] {act, act}, (o, in) -> o.sum(List.of(in.get(0), in.get(1))));
                time("Add", new long[][] {act, act}, (o, in) -> o.add(in.get(0), in.get(1)));
            }
            return;
        }
        if (args.length > 0 && args[0].equals("dw")) {
            convWeightGrad(100, 64, 32);
            convWeightGrad(100, 128, 16);
            convWeightGrad(100, 256, 8);
            convWeightGrad(100, 512, 4);
            return;
        }
        long[] act = {100, 64, 32, 32};
        time("reduce only (baseline)", new long[][] {act, act}, (o, in) -> in.get(0));
        time("relu-grad Mul(dy, Cast(Greater(y,0)))", new long[][] {act, act}, (o, in) -> {
            return o.mul(in.get(0), o.cast(o.greater(in.get(1), o.scalar(0f)), DType.FLOAT));
        });
        time("relu-grad Where(Cast(y,bool), dy, 0)", new long[][] {act, act}, (o, in) -> {
            return o.where(o.cast(in.get(1), DType.BOOL), in.get(0), o.scalar(0f));
        });
        time("relu-grad Where(Greater(y,0), dy, 0)", new long[][] {act, act}, (o, in) -> {
            return o.where(o.greater(in.get(1), o.scalar(0f)), in.get(0), o.scalar(0f));
        });
        time("relu-grad Mul(dy, Sign(y))", new long[][] {act, act}, (o, in) -> {
            return o.mul(in.get(0), o.builder().op("Sign", in.get(1)));
        });
        time("relu-grad Mul(dy, Ceil(Min(y,1))) (y >= 0)", new long[][] {act, act}, (o, in) -> {
            return o.mul(in.get(0), o.builder().op("Ceil", o.min(in.get(1), o.scalar(1f))));
        });
        long[] vec = {1, 64, 1, 1};
        time("bn-grad dx Mul+Add+Mul+Sub", new long[][] {act, act, vec, vec, vec}, (o, in) -> {
            return o.sub(o.add(o.mul(in.get(0), in.get(2)), in.get(3)), o.mul(in.get(1), in.get(4)));
        });
        time("bn-grad dx BatchNormalization x2 + Add", new long[][] {act, act, {64}, {64}, {64}}, (o, in) -> {
            GraphBuilder b = o.builder();
            Value zero = b.constant(Tensor.zeros(DType.FLOAT, Shape.of(64)));
            Value one = b.constant(Tensor.filled(Shape.of(64), 1f));
            Value t1 = b.op("BatchNormalization", List.of(in.get(0), in.get(2), in.get(3), zero, one),
                    Map.of("epsilon", 0f));
            Value t2 = b.op("BatchNormalization", List.of(in.get(1), in.get(4), zero, zero, one),
                    Map.of("epsilon", 0f));
            return o.add(t1, t2);
        });
        time("affine Mul+Add per channel", new long[][] {act, {1, 64, 1, 1}, {1, 64, 1, 1}}, (o, in) -> {
            return o.add(o.mul(in.get(0), in.get(1)), in.get(2));
        });
        time("affine BatchNormalization", new long[][] {act, {64}, {64}}, (o, in) -> {
            GraphBuilder b = o.builder();
            Value zero = b.constant(Tensor.zeros(DType.FLOAT, Shape.of(64)));
            Value one = b.constant(Tensor.filled(Shape.of(64), 1f));
            return b.op("BatchNormalization", List.of(in.get(0), in.get(1), in.get(2), zero, one),
                    Map.of("epsilon", 0f));
        });
        long[] w = {512, 512, 3, 3};
        time("flip kernel Slice(-1 steps)", new long[][] {w}, (o, in) -> {
            return o.slice(in.get(0), new long[] {-1, -1}, new long[] {Long.MIN_VALUE, Long.MIN_VALUE},
                    new long[] {2, 3}, new long[] {-1, -1});
        });
        time("flip kernel MatMul anti-identity", new long[][] {w}, (o, in) -> {
            float[] j = new float[81];
            for (int i = 0; i < 9; i++) {
                j[i * 9 + 8 - i] = 1f;
            }
            Value jm = o.constant(Tensor.ofFloats(Shape.of(9, 9), j));
            return o.reshape(o.matmul(o.reshape(in.get(0), 512 * 512, 9), jm), w);
        });
        time("swap in/out Transpose", new long[][] {w}, (o, in) -> o.transpose(in.get(0), 1, 0, 2, 3));
    }

}
