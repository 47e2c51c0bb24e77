package org.automixonnx.onnx;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Static type and shape inference for the operators automix-onnx supports (opset {@value Model#OPSET}).
 * Called by {@link GraphBuilder} for every node it adds. Unknown dimensions (-1) propagate; a shape
 * that cannot be right (mismatched broadcast, wrong channel count, ...) fails with the node's name.
 */
public final class ShapeInference {
    /** Infers a node's output values from its inputs (a null input is an omitted optional one). */
    @FunctionalInterface
    interface Rule {
        List<Value> infer(Ctx c);
    }

    /** What a rule sees: the node, its input values and access to constant inputs. */
    record Ctx(Node node, List<Value> in, GraphBuilder b) {
        Value in(int i) {
            if (i >= in.size() || in.get(i) == null) {
                throw fail("needs input " + i);
            }
            return in.get(i);
        }

        boolean has(int i) {
            return i < in.size() && in.get(i) != null;
        }

        Shape shape(int i) {
            return in(i).shape();
        }

        long[] dims(int i) {
            return in(i).shape().dims();
        }

        long[] constLongs(int i) {
            Tensor t = b.constantValue(in(i));
            if (t == null) {
                throw fail("input " + i + " ('" + in(i).name() + "') must be a constant for static shape inference");
            }
            double[] d = t.asDoubles();
            long[] out = new long[d.length];
            for (int k = 0; k < d.length; k++) {
                out[k] = (long) d[k];
            }
            return out;
        }

        float[] constFloats(int i) {
            Tensor t = b.constantValue(in(i));
            if (t == null) {
                throw fail("input " + i + " ('" + in(i).name() + "') must be a constant for static shape inference");
            }
            double[] d = t.asDoubles();
            float[] out = new float[d.length];
            for (int k = 0; k < d.length; k++) {
                out[k] = (float) d[k];
            }
            return out;
        }

        Value out(int i, DType t, Shape s) {
            return new Value(node.output(i), t, s);
        }

        List<Value> one(DType t, Shape s) {
            return List.of(out(0, t, s));
        }

        List<Value> one(DType t, long[] dims) {
            return one(t, Shape.of(dims));
        }

        OnnxException fail(String msg) {
            return new OnnxException(node.describe() + ": " + msg + " (inputs: " + in + ")");
        }

        int axis(long a, int rank) {
            long r = a < 0 ? a + rank : a;
            if (r < 0 || r >= rank) {
                throw fail("axis " + a + " out of range for rank " + rank);
            }
            return (int) r;
        }
    }

    private static final Map<String, Rule> RULES = new HashMap<>();

    static {
        Rule sameAsFirst = c -> c.one(c.in(0).dtype(), c.shape(0));
        for (String op : List.of("Relu", "Sigmoid", "Tanh", "Exp", "Log", "Sqrt", "Erf", "Neg", "Abs", "Reciprocal",
                "Identity", "Softmax", "LogSoftmax", "Floor", "Ceil", "Sign", "Not", "Dropout", "LeakyRelu", "Clip",
                "Elu", "Softplus", "HardSigmoid", "Round", "Sin", "Cos")) {
            RULES.put(op, sameAsFirst);
        }
        for (String op : List.of("Add", "Sub", "Mul", "Div", "Pow", "Max", "Min", "Sum", "Mean")) {
            RULES.put(op, c -> c.one(c.in(0).dtype(), broadcast(c, c.in)));
        }
        for (String op : List.of("Greater", "Less", "Equal", "GreaterOrEqual", "LessOrEqual", "And", "Or", "Xor")) {
            RULES.put(op, c -> c.one(DType.BOOL, broadcast(c, c.in)));
        }
        RULES.put("Where", c -> c.one(c.in(1).dtype(), broadcast(c, c.in)));
        RULES.put("Cast", c -> c.one(DType.fromOnnx((int) c.node.attrInt("to")), c.shape(0)));
        RULES.put("Constant", c -> {
            Tensor t = c.node.require("value").asTensor();
            return c.one(t.dtype(), t.shape());
        });
        RULES.put("MatMul", ShapeInference::matmul);
        RULES.put("Gemm", ShapeInference::gemm);
        RULES.put("Conv", ShapeInference::conv);
        RULES.put("ConvTranspose", ShapeInference::convTranspose);
        RULES.put("MaxPool", ShapeInference::pool);
        RULES.put("AveragePool", ShapeInference::pool);
        RULES.put("GlobalAveragePool", ShapeInference::globalPool);
        RULES.put("GlobalMaxPool", ShapeInference::globalPool);
        RULES.put("BatchNormalization", sameAsFirst);
        RULES.put("LayerNormalization", ShapeInference::layerNorm);
        RULES.put("Flatten", ShapeInference::flatten);
        RULES.put("Reshape", ShapeInference::reshape);
        RULES.put("Transpose", ShapeInference::transpose);
        RULES.put("Concat", ShapeInference::concat);
        RULES.put("Split", ShapeInference::split);
        RULES.put("Slice", ShapeInference::slice);
        RULES.put("Gather", ShapeInference::gather);
        RULES.put("GatherElements", c -> c.one(c.in(0).dtype(), c.shape(1)));
        RULES.put("ScatterElements", sameAsFirst);
        RULES.put("ScatterND", sameAsFirst);
        for (String op : List.of("ReduceMean", "ReduceSum", "ReduceMax", "ReduceMin", "ReduceSumSquare", "ReduceProd",
                "ReduceL2", "ReduceLogSumExp")) {
            RULES.put(op, ShapeInference::reduce);
        }
        RULES.put("ArgMax", ShapeInference::argReduce);
        RULES.put("ArgMin", ShapeInference::argReduce);
        RULES.put("Unsqueeze", ShapeInference::unsqueeze);
        RULES.put("Squeeze", ShapeInference::squeeze);
        RULES.put("Expand", c -> c.one(c.in(0).dtype(), broadcastDims(c, c.dims(0), c.constLongs(1))));
        RULES.put("Tile", c -> {
            long[] d = c.dims(0);
            long[] r = c.constLongs(1);
            for (int i = 0; i < d.length; i++) {
                d[i] = d[i] < 0 ? -1 : d[i] * r[i];
            }
            return c.one(c.in(0).dtype(), d);
        });
        RULES.put("Pad", ShapeInference::pad);
        RULES.put("Resize", ShapeInference::resize);
        RULES.put("Shape", c -> c.one(DType.INT64, Shape.of(c.shape(0).rank())));
        RULES.put("ConstantOfShape", c -> {
            Tensor v = c.node.hasAttr("value") ? c.node.require("value").asTensor() : null;
            return c.one(v == null ? DType.FLOAT : v.dtype(), Shape.of(c.constLongs(0)));
        });
        RULES.put("OneHot", c -> {
            long depth = c.constLongs(1)[0];
            long[] d = c.dims(0);
            int rank = d.length + 1;
            int axis = c.axis(c.node.attrInt("axis", -1), rank);
            long[] out = new long[rank];
            for (int i = 0, j = 0; i < rank; i++) {
                out[i] = i == axis ? depth : d[j++];
            }
            return c.one(c.in(2).dtype(), out);
        });
        RULES.put("Range", c -> {
            float[] s = c.constFloats(0);
            float[] l = c.constFloats(1);
            float[] d = c.constFloats(2);
            long n = (long) Math.max(Math.ceil((l[0] - s[0]) / d[0]), 0);
            return c.one(c.in(0).dtype(), Shape.of(n));
        });
        RULES.put("TopK", c -> {
            long[] d = c.dims(0);
            int axis = c.axis(c.node.attrInt("axis", -1), d.length);
            d[axis] = c.constLongs(1)[0];
            return List.of(c.out(0, c.in(0).dtype(), Shape.of(d)), c.out(1, DType.INT64, Shape.of(d)));
        });
        RULES.put("CumSum", sameAsFirst);
    }

    private ShapeInference() {
    }

    public static boolean supports(String opType) {
        return RULES.containsKey(opType);
    }

    static List<Value> infer(Node node, List<Value> inputs, GraphBuilder b) {
        Rule r = RULES.get(node.opType());
        if (r == null) {
            throw new OnnxException(node.describe() + ": unsupported operator '" + node.opType()
                    + "' (no shape inference rule)");
        }
        List<Value> outs = r.infer(new Ctx(node, inputs, b));
        if (outs.size() != node.outputs().size()) {
            // Optional outputs (Dropout mask, TopK indices) may be requested or not.
            return outs.subList(0, node.outputs().size());
        }
        return outs;
    }

    // ------------------------------------------------------------ helpers

    /** Numpy-style broadcast of all non-null inputs. */
    static Shape broadcast(Ctx c, List<Value> ins) {
        long[] acc = new long[0];
        for (Value v : ins) {
            if (v != null) {
                acc = broadcastDims(c, acc, v.shape().dims());
            }
        }
        return Shape.of(acc);
    }

    static long[] broadcastDims(Ctx c, long[] a, long[] b) {
        int r = Math.max(a.length, b.length);
        long[] out = new long[r];
        for (int i = 0; i < r; i++) {
            long da = i - (r - a.length) >= 0 ? a[i - (r - a.length)] : 1;
            long db = i - (r - b.length) >= 0 ? b[i - (r - b.length)] : 1;
            if (da == 1) {
                out[i] = db;
            } else if (db == 1) {
                out[i] = da;
            } else if (da < 0 || db < 0) {
                out[i] = Math.max(da, db);
            } else if (da == db) {
                out[i] = da;
            } else {
                throw c.fail("cannot broadcast shapes " + Arrays.toString(a) + " and " + Arrays.toString(b));
            }
        }
        return out;
    }

    private static List<Value> matmul(Ctx c) {
        long[] a = c.dims(0);
        long[] b = c.dims(1);
        if (a.length < 1 || b.length < 1) {
            throw c.fail("MatMul needs inputs of rank >= 1");
        }
        boolean aVec = a.length == 1;
        boolean bVec = b.length == 1;
        long[] a2 = aVec ? new long[] {1, a[0]} : a;
        long[] b2 = bVec ? new long[] {b[0], 1} : b;
        long k1 = a2[a2.length - 1];
        long k2 = b2[b2.length - 2];
        if (k1 >= 0 && k2 >= 0 && k1 != k2) {
            throw c.fail("MatMul inner dimensions differ: " + k1 + " vs " + k2);
        }
        long[] batch = broadcastDims(c, Arrays.copyOf(a2, a2.length - 2), Arrays.copyOf(b2, b2.length - 2));
        List<Long> out = new ArrayList<>();
        for (long d : batch) {
            out.add(d);
        }
        if (!aVec) {
            out.add(a2[a2.length - 2]);
        }
        if (!bVec) {
            out.add(b2[b2.length - 1]);
        }
        return c.one(c.in(0).dtype(), out.stream().mapToLong(Long::longValue).toArray());
    }

    private static List<Value> gemm(Ctx c) {
        long[] a = c.dims(0);
        long[] b = c.dims(1);
        if (a.length != 2 || b.length != 2) {
            throw c.fail("Gemm needs 2-D inputs");
        }
        boolean ta = c.node.attrInt("transA", 0) != 0;
        boolean tb = c.node.attrInt("transB", 0) != 0;
        long m = ta ? a[1] : a[0];
        long ka = ta ? a[0] : a[1];
        long kb = tb ? b[1] : b[0];
        long n = tb ? b[0] : b[1];
        if (ka >= 0 && kb >= 0 && ka != kb) {
            throw c.fail("Gemm inner dimensions differ: " + ka + " vs " + kb);
        }
        if (c.has(2)) {
            broadcastDims(c, new long[] {m, n}, c.dims(2));
        }
        return c.one(c.in(0).dtype(), new long[] {m, n});
    }

    /** Spatial output size of a convolution or pooling window (-1 when the input size is unknown). */
    static long windowOut(long in, long k, long stride, long padBegin, long padEnd, long dilation, boolean ceil) {
        if (in < 0) {
            return -1;
        }
        long eff = dilation * (k - 1) + 1;
        long num = in + padBegin + padEnd - eff;
        return (ceil ? Math.floorDiv(num + stride - 1, stride) : Math.floorDiv(num, stride)) + 1;
    }

    private static long[] attrOr(Node n, String key, int count, long fill) {
        long[] v = n.attrInts(key, null);
        if (v == null) {
            v = new long[count];
            Arrays.fill(v, fill);
        }
        return v;
    }

    private static List<Value> conv(Ctx c) {
        long[] x = c.dims(0);
        long[] w = c.dims(1);
        if (x.length != w.length || x.length < 3) {
            throw c.fail("Conv input rank " + x.length + " and weight rank " + w.length + " do not fit");
        }
        int sp = x.length - 2;
        long group = c.node.attrInt("group", 1);
        if (x[1] >= 0 && x[1] != w[1] * group) {
            throw c.fail("Conv input has " + x[1] + " channels, weight expects " + w[1] * group
                    + " (weight " + Arrays.toString(w) + ", group " + group + ")");
        }
        if (w[0] % group != 0) {
            throw c.fail("Conv output channels " + w[0] + " not divisible by group " + group);
        }
        if (c.has(2) && c.dims(2)[0] != w[0]) {
            throw c.fail("Conv bias has " + c.dims(2)[0] + " entries, expected " + w[0]);
        }
        long[] strides = attrOr(c.node, "strides", sp, 1);
        long[] dil = attrOr(c.node, "dilations", sp, 1);
        long[] pads = attrOr(c.node, "pads", 2 * sp, 0);
        long[] out = new long[x.length];
        out[0] = x[0];
        out[1] = w[0];
        for (int i = 0; i < sp; i++) {
            out[2 + i] = windowOut(x[2 + i], w[2 + i], strides[i], pads[i], pads[i + sp], dil[i], false);
            if (x[2 + i] >= 0 && out[2 + i] <= 0) {
                throw c.fail("Conv output would be empty for input " + Arrays.toString(x));
            }
        }
        return c.one(c.in(0).dtype(), out);
    }

    private static List<Value> convTranspose(Ctx c) {
        long[] x = c.dims(0);
        long[] w = c.dims(1);
        int sp = x.length - 2;
        long group = c.node.attrInt("group", 1);
        long[] strides = attrOr(c.node, "strides", sp, 1);
        long[] dil = attrOr(c.node, "dilations", sp, 1);
        long[] pads = attrOr(c.node, "pads", 2 * sp, 0);
        long[] outPad = attrOr(c.node, "output_padding", sp, 0);
        long[] outShape = c.node.attrInts("output_shape", null);
        if (x[1] >= 0 && x[1] != w[0]) {
            throw c.fail("ConvTranspose input has " + x[1] + " channels, weight expects " + w[0]);
        }
        long[] out = new long[x.length];
        out[0] = x[0];
        out[1] = w[1] * group;
        for (int i = 0; i < sp; i++) {
            if (outShape != null) {
                out[2 + i] = outShape[outShape.length - sp + i];
            } else {
                out[2 + i] = x[2 + i] < 0 ? -1
                        : strides[i] * (x[2 + i] - 1) + outPad[i] + (w[2 + i] - 1) * dil[i] + 1 - pads[i] - pads[i + sp];
            }
        }
        return c.one(c.in(0).dtype(), out);
    }

    private static List<Value> pool(Ctx c) {
        long[] x = c.dims(0);
        int sp = x.length - 2;
        long[] k = c.node.require("kernel_shape").asInts();
        long[] strides = attrOr(c.node, "strides", sp, 1);
        long[] dil = attrOr(c.node, "dilations", sp, 1);
        long[] pads = attrOr(c.node, "pads", 2 * sp, 0);
        boolean ceil = c.node.attrInt("ceil_mode", 0) != 0;
        long[] out = x.clone();
        for (int i = 0; i < sp; i++) {
            out[2 + i] = windowOut(x[2 + i], k[i], strides[i], pads[i], pads[i + sp], dil[i], ceil);
        }
        List<Value> r = new ArrayList<>();
        r.add(c.out(0, c.in(0).dtype(), Shape.of(out)));
        if (c.node.outputs().size() > 1) {
            r.add(c.out(1, DType.INT64, Shape.of(out)));
        }
        return r;
    }

    private static List<Value> globalPool(Ctx c) {
        long[] x = c.dims(0);
        long[] out = x.clone();
        for (int i = 2; i < out.length; i++) {
            out[i] = 1;
        }
        return c.one(c.in(0).dtype(), out);
    }

    /** Y like X; the optional Mean and InvStdDev keep X's leading axes and have size 1 on the normalised ones. */
    private static List<Value> layerNorm(Ctx c) {
        long[] x = c.dims(0);
        int axis = c.axis(c.node.attrInt("axis", -1), x.length);
        long[] stats = x.clone();
        Arrays.fill(stats, axis, x.length, 1);
        broadcastDims(c, Arrays.copyOfRange(x, axis, x.length), c.dims(1));
        List<Value> out = new ArrayList<>();
        out.add(c.out(0, c.in(0).dtype(), c.shape(0)));
        for (int i = 1; i < c.node.outputs().size(); i++) {
            out.add(c.out(i, DType.FLOAT, Shape.of(stats)));
        }
        return out;
    }

    private static List<Value> flatten(Ctx c) {
        long[] x = c.dims(0);
        int axis = (int) c.node.attrInt("axis", 1);
        if (axis < 0) {
            axis += x.length;
        }
        return c.one(c.in(0).dtype(), new long[] {product(x, 0, axis), product(x, axis, x.length)});
    }

    static long product(long[] d, int from, int to) {
        long p = 1;
        for (int i = from; i < to; i++) {
            if (d[i] < 0) {
                return -1;
            }
            p *= d[i];
        }
        return p;
    }

    private static List<Value> reshape(Ctx c) {
        long[] x = c.dims(0);
        long[] target = c.constLongs(1);
        boolean allowZero = c.node.attrInt("allowzero", 0) != 0;
        long[] out = target.clone();
        int inferAt = -1;
        for (int i = 0; i < out.length; i++) {
            if (out[i] == 0 && !allowZero) {
                if (i >= x.length) {
                    throw c.fail("Reshape copies dimension " + i + " from an input of rank " + x.length);
                }
                out[i] = x[i];
            } else if (out[i] == -1) {
                if (inferAt >= 0) {
                    throw c.fail("Reshape target has two -1 entries");
                }
                inferAt = i;
            }
        }
        long total = product(x, 0, x.length);
        if (inferAt >= 0) {
            long known = 1;
            boolean unknown = false;
            for (int i = 0; i < out.length; i++) {
                if (i != inferAt) {
                    if (out[i] < 0) {
                        unknown = true;
                    }
                    known *= out[i];
                }
            }
            out[inferAt] = total < 0 || unknown ? -1 : total / known;
            if (total >= 0 && !unknown && known * out[inferAt] != total) {
                throw c.fail("cannot reshape " + Arrays.toString(x) + " to " + Arrays.toString(target));
            }
        } else if (total >= 0 && product(out, 0, out.length) >= 0 && product(out, 0, out.length) != total) {
            throw c.fail("cannot reshape " + Arrays.toString(x) + " to " + Arrays.toString(target));
        }
        return c.one(c.in(0).dtype(), out);
    }

    private static List<Value> transpose(Ctx c) {
        long[] x = c.dims(0);
        long[] perm = c.node.attrInts("perm", null);
        long[] out = new long[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = perm == null ? x[x.length - 1 - i] : x[(int) perm[i]];
        }
        if (perm != null && perm.length != x.length) {
            throw c.fail("Transpose perm " + Arrays.toString(perm) + " does not match rank " + x.length);
        }
        return c.one(c.in(0).dtype(), out);
    }

    private static List<Value> concat(Ctx c) {
        long[] first = c.dims(0);
        int axis = c.axis(c.node.attrInt("axis"), first.length);
        long[] out = first.clone();
        for (int i = 1; i < c.in.size(); i++) {
            long[] d = c.dims(i);
            if (d.length != first.length) {
                throw c.fail("Concat inputs have different ranks");
            }
            for (int k = 0; k < d.length; k++) {
                if (k == axis) {
                    out[k] = out[k] < 0 || d[k] < 0 ? -1 : out[k] + d[k];
                } else if (d[k] >= 0 && out[k] >= 0 && d[k] != out[k]) {
                    throw c.fail("Concat inputs differ in dimension " + k);
                }
            }
        }
        return c.one(c.in(0).dtype(), out);
    }

    private static List<Value> split(Ctx c) {
        long[] x = c.dims(0);
        int axis = c.axis(c.node.attrInt("axis", 0), x.length);
        int n = c.node.outputs().size();
        long[] sizes;
        if (c.has(1)) {
            sizes = c.constLongs(1);
        } else {
            if (x[axis] % n != 0) {
                throw c.fail("Split of " + x[axis] + " into " + n + " equal parts");
            }
            sizes = new long[n];
            Arrays.fill(sizes, x[axis] / n);
        }
        List<Value> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long[] d = x.clone();
            d[axis] = sizes[i];
            out.add(c.out(i, c.in(0).dtype(), Shape.of(d)));
        }
        return out;
    }

    private static List<Value> slice(Ctx c) {
        long[] x = c.dims(0);
        long[] starts = c.constLongs(1);
        long[] ends = c.constLongs(2);
        long[] axes = c.has(3) ? c.constLongs(3) : null;
        long[] steps = c.has(4) ? c.constLongs(4) : null;
        long[] out = x.clone();
        for (int i = 0; i < starts.length; i++) {
            int a = c.axis(axes == null ? i : axes[i], x.length);
            long step = steps == null ? 1 : steps[i];
            long dim = x[a];
            if (dim < 0) {
                out[a] = -1;
                continue;
            }
            long s = clampIndex(starts[i], dim, step);
            long e = clampIndex(ends[i], dim, step);
            out[a] = step > 0 ? Math.max(0, Math.floorDiv(e - s + step - 1, step))
                    : Math.max(0, Math.floorDiv(s - e - step - 1, -step));
        }
        return c.one(c.in(0).dtype(), out);
    }

    private static long clampIndex(long v, long dim, long step) {
        if (v < 0) {
            v += dim;
        }
        return step > 0 ? Math.max(0, Math.min(v, dim)) : Math.max(-1, Math.min(v, dim - 1));
    }

    private static List<Value> gather(Ctx c) {
        long[] x = c.dims(0);
        long[] idx = c.dims(1);
        int axis = c.axis(c.node.attrInt("axis", 0), x.length);
        long[] out = new long[x.length - 1 + idx.length];
        int k = 0;
        for (int i = 0; i < axis; i++) {
            out[k++] = x[i];
        }
        for (long d : idx) {
            out[k++] = d;
        }
        for (int i = axis + 1; i < x.length; i++) {
            out[k++] = x[i];
        }
        return c.one(c.in(0).dtype(), out);
    }

    /** Axes of a Reduce*: ReduceSum takes them as input since opset 13, the others as attribute until 18. */
    static long[] reduceAxes(Ctx c) {
        if (c.node.opType().equals("ReduceSum") && c.has(1)) {
            return c.constLongs(1);
        }
        return c.node.attrInts("axes", null);
    }

    private static List<Value> reduce(Ctx c) {
        long[] x = c.dims(0);
        long[] axes = reduceAxes(c);
        boolean keep = c.node.attrInt("keepdims", 1) != 0;
        boolean[] reduced = new boolean[x.length];
        if (axes == null || axes.length == 0) {
            if (c.node.attrInt("noop_with_empty_axes", 0) != 0) {
                return c.one(c.in(0).dtype(), x);
            }
            Arrays.fill(reduced, true);
        } else {
            for (long a : axes) {
                reduced[c.axis(a, x.length)] = true;
            }
        }
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < x.length; i++) {
            if (!reduced[i]) {
                out.add(x[i]);
            } else if (keep) {
                out.add(1L);
            }
        }
        return c.one(c.in(0).dtype(), out.stream().mapToLong(Long::longValue).toArray());
    }

    private static List<Value> argReduce(Ctx c) {
        long[] x = c.dims(0);
        int axis = c.axis(c.node.attrInt("axis", 0), x.length);
        boolean keep = c.node.attrInt("keepdims", 1) != 0;
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < x.length; i++) {
            if (i != axis) {
                out.add(x[i]);
            } else if (keep) {
                out.add(1L);
            }
        }
        return c.one(DType.INT64, out.stream().mapToLong(Long::longValue).toArray());
    }

    private static List<Value> unsqueeze(Ctx c) {
        long[] x = c.dims(0);
        long[] axes = c.constLongs(1);
        int rank = x.length + axes.length;
        boolean[] inserted = new boolean[rank];
        for (long a : axes) {
            inserted[c.axis(a, rank)] = true;
        }
        long[] out = new long[rank];
        for (int i = 0, j = 0; i < rank; i++) {
            out[i] = inserted[i] ? 1 : x[j++];
        }
        return c.one(c.in(0).dtype(), out);
    }

    private static List<Value> squeeze(Ctx c) {
        long[] x = c.dims(0);
        boolean[] removed = new boolean[x.length];
        if (c.has(1)) {
            for (long a : c.constLongs(1)) {
                int ax = c.axis(a, x.length);
                if (x[ax] != 1 && x[ax] >= 0) {
                    throw c.fail("Squeeze of axis " + ax + " with size " + x[ax]);
                }
                removed[ax] = true;
            }
        } else {
            for (int i = 0; i < x.length; i++) {
                removed[i] = x[i] == 1;
            }
        }
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < x.length; i++) {
            if (!removed[i]) {
                out.add(x[i]);
            }
        }
        return c.one(c.in(0).dtype(), out.stream().mapToLong(Long::longValue).toArray());
    }

    private static List<Value> pad(Ctx c) {
        long[] x = c.dims(0);
        long[] pads = c.constLongs(1);
        long[] axes = c.has(3) ? c.constLongs(3) : null;
        long[] out = x.clone();
        int n = axes == null ? x.length : axes.length;
        for (int i = 0; i < n; i++) {
            int a = axes == null ? i : c.axis(axes[i], x.length);
            out[a] = x[a] < 0 ? -1 : x[a] + pads[i] + pads[i + n];
        }
        return c.one(c.in(0).dtype(), out);
    }

    private static List<Value> resize(Ctx c) {
        long[] x = c.dims(0);
        long[] out = x.clone();
        if (c.has(3)) {
            out = c.constLongs(3);
        } else if (c.has(2)) {
            float[] scales = c.constFloats(2);
            for (int i = 0; i < x.length; i++) {
                out[i] = x[i] < 0 ? -1 : (long) Math.floor(x[i] * scales[i]);
            }
        } else {
            throw c.fail("Resize needs scales or sizes");
        }
        return c.one(c.in(0).dtype(), out);
    }
}
