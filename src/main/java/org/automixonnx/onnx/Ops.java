package org.automixonnx.onnx;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Typed shorthands for the operators we emit, over a {@link GraphBuilder}. Models, losses, optimizers
 * and gradient rules all build graphs through these, so the ONNX attribute conventions of opset
 * {@value Model#OPSET} (which ops take axes as attribute, which as input) live in one place.
 */
public final class Ops {
    private final GraphBuilder b;

    public Ops(GraphBuilder b) {
        this.b = b;
    }

    public GraphBuilder builder() {
        return b;
    }

    public Value scalar(float v) {
        return b.scalar(v);
    }

    public Value constant(Tensor t) {
        return b.constant(t);
    }

    // ------------------------------------------------------------ element-wise

    public Value add(Value x, Value y) {
        return b.op("Add", x, y);
    }

    public Value sub(Value x, Value y) {
        return b.op("Sub", x, y);
    }

    public Value mul(Value x, Value y) {
        return b.op("Mul", x, y);
    }

    public Value div(Value x, Value y) {
        return b.op("Div", x, y);
    }

    public Value mul(Value x, float s) {
        return mul(x, scalar(s));
    }

    public Value add(Value x, float s) {
        return add(x, scalar(s));
    }

    public Value neg(Value x) {
        return b.op("Neg", x);
    }

    public Value relu(Value x) {
        return b.op("Relu", x);
    }

    public Value sigmoid(Value x) {
        return b.op("Sigmoid", x);
    }

    public Value tanh(Value x) {
        return b.op("Tanh", x);
    }

    public Value exp(Value x) {
        return b.op("Exp", x);
    }

    public Value log(Value x) {
        return b.op("Log", x);
    }

    public Value sqrt(Value x) {
        return b.op("Sqrt", x);
    }

    public Value reciprocal(Value x) {
        return b.op("Reciprocal", x);
    }

    public Value erf(Value x) {
        return b.op("Erf", x);
    }

    public Value abs(Value x) {
        return b.op("Abs", x);
    }

    public Value identity(Value x) {
        return b.op("Identity", x);
    }

    public Value greater(Value x, Value y) {
        return b.op("Greater", x, y);
    }

    public Value less(Value x, Value y) {
        return b.op("Less", x, y);
    }

    public Value equal(Value x, Value y) {
        return b.op("Equal", x, y);
    }

    public Value where(Value cond, Value x, Value y) {
        return b.op("Where", cond, x, y);
    }

    public Value max(Value x, Value y) {
        return b.op("Max", x, y);
    }

    public Value min(Value x, Value y) {
        return b.op("Min", x, y);
    }

    public Value pow(Value x, Value exponent) {
        return b.op("Pow", x, exponent);
    }

    /** Clip with optional (null) bounds, given as inputs since opset 11. */
    public Value clip(Value x, Value min, Value max) {
        return b.op("Clip", Arrays.asList(x, min, max), Map.of());
    }

    public Value cast(Value x, DType to) {
        if (x.dtype() == to) {
            return x;
        }
        return b.op("Cast", List.of(x), Map.of("to", (long) to.onnxCode));
    }

    public Value sum(List<Value> xs) {
        return xs.size() == 1 ? xs.get(0) : b.op("Sum", xs, Map.of());
    }

    // ------------------------------------------------------------ linear algebra and layers

    public Value matmul(Value x, Value y) {
        return b.op("MatMul", x, y);
    }

    public Value gemm(Value a, Value w, Value bias, boolean transA, boolean transB) {
        Map<String, Object> at = new LinkedHashMap<>();
        if (transA) {
            at.put("transA", 1L);
        }
        if (transB) {
            at.put("transB", 1L);
        }
        return b.op("Gemm", Arrays.asList(a, w, bias), at);
    }

    public Value conv(Value x, Value w, Value bias, long[] strides, long[] pads, long[] dilations, long group) {
        Map<String, Object> at = new LinkedHashMap<>();
        at.put("strides", strides);
        at.put("pads", pads);
        at.put("dilations", dilations);
        at.put("group", group);
        return b.op("Conv", Arrays.asList(x, w, bias), at);
    }

    /** 2-D convolution with symmetric padding. */
    public Value conv2d(Value x, Value w, Value bias, int stride, int pad, int dilation, int group) {
        return conv(x, w, bias, new long[] {stride, stride}, new long[] {pad, pad, pad, pad},
                new long[] {dilation, dilation}, group);
    }

    public Value globalAveragePool(Value x) {
        return b.op("GlobalAveragePool", x);
    }

    public Value flatten(Value x, int axis) {
        return b.op("Flatten", List.of(x), Map.of("axis", (long) axis));
    }

    /** LayerNormalization (opset 17) over axes {@code axis..rank-1}; outputs Y, Mean, InvStdDev as requested. */
    public List<Value> layerNorm(Value x, Value scale, Value bias, int axis, float epsilon, int numOutputs) {
        return b.op("LayerNormalization", Arrays.asList(x, scale, bias),
                Map.of("axis", (long) axis, "epsilon", epsilon), numOutputs);
    }

    public Value softmax(Value x, int axis) {
        return b.op("Softmax", List.of(x), Map.of("axis", (long) axis));
    }

    public Value logSoftmax(Value x, int axis) {
        return b.op("LogSoftmax", List.of(x), Map.of("axis", (long) axis));
    }

    // ------------------------------------------------------------ shape manipulation

    public Value reshape(Value x, long... shape) {
        return b.op("Reshape", x, b.longs(shape));
    }

    public Value reshape(Value x, Shape shape) {
        return reshape(x, shape.dims());
    }

    public Value transpose(Value x, long... perm) {
        return b.op("Transpose", List.of(x), Map.of("perm", perm));
    }

    public Value unsqueeze(Value x, long... axes) {
        return b.op("Unsqueeze", x, b.longs(axes));
    }

    public Value squeeze(Value x, long... axes) {
        return b.op("Squeeze", x, b.longs(axes));
    }

    public Value expand(Value x, long... shape) {
        return b.op("Expand", x, b.longs(shape));
    }

    public Value concat(List<Value> xs, int axis) {
        return b.op("Concat", xs, Map.of("axis", (long) axis));
    }

    public Value slice(Value x, long[] starts, long[] ends, long[] axes, long[] steps) {
        return b.op("Slice", Arrays.asList(x, b.longs(starts), b.longs(ends), b.longs(axes),
                steps == null ? null : b.longs(steps)), Map.of());
    }

    public Value gather(Value x, Value indices, int axis) {
        return b.op("Gather", List.of(x, indices), Map.of("axis", (long) axis));
    }

    /** Split into parts of the given sizes along an axis (sizes as input since opset 13). */
    public List<Value> split(Value x, int axis, long... sizes) {
        return b.op("Split", List.of(x, b.longs(sizes)), Map.of("axis", (long) axis), sizes.length);
    }

    public Value tile(Value x, long... repeats) {
        return b.op("Tile", x, b.longs(repeats));
    }

    public Value gatherElements(Value x, Value indices, int axis) {
        return b.op("GatherElements", List.of(x, indices), Map.of("axis", (long) axis));
    }

    /** ScatterElements with {@code reduction} "none" or "add" (the latter since opset 16). */
    public Value scatterElements(Value data, Value indices, Value updates, int axis, String reduction) {
        return b.op("ScatterElements", List.of(data, indices, updates),
                Map.of("axis", (long) axis, "reduction", reduction));
    }

    /** ScatterND with {@code reduction} "none" or "add" (the latter since opset 16). */
    public Value scatterND(Value data, Value indices, Value updates, String reduction) {
        return b.op("ScatterND", List.of(data, indices, updates), Map.of("reduction", reduction));
    }

    public Value pad(Value x, long[] pads, Value padValue) {
        return b.op("Pad", Arrays.asList(x, b.longs(pads), padValue), Map.of());
    }

    // ------------------------------------------------------------ reductions

    public Value reduceSum(Value x, boolean keepDims, long... axes) {
        return b.op("ReduceSum", List.of(x, b.longs(axes)), Map.of("keepdims", keepDims ? 1L : 0L));
    }

    /** Sum of every element, as a scalar. */
    public Value reduceSumAll(Value x) {
        return b.op("ReduceSum", List.of(x), Map.of("keepdims", 0L));
    }

    public Value reduceMean(Value x, boolean keepDims, long... axes) {
        return b.op("ReduceMean", List.of(x), Map.of("axes", axes, "keepdims", keepDims ? 1L : 0L));
    }

    /** Mean of every element, as a scalar. */
    public Value reduceMeanAll(Value x) {
        return b.op("ReduceMean", List.of(x), Map.of("keepdims", 0L));
    }

    public Value reduceMax(Value x, boolean keepDims, long... axes) {
        return b.op("ReduceMax", List.of(x), Map.of("axes", axes, "keepdims", keepDims ? 1L : 0L));
    }

    /**
     * Sums {@code grad} down to {@code target}'s shape: the adjoint of numpy broadcasting. Leading
     * extra axes are summed away, axes where the target has size 1 are summed with keepdims.
     */
    public Value sumToShape(Value grad, Shape target) {
        long[] g = grad.shape().dims();
        long[] t = target.dims();
        if (Arrays.equals(g, t)) {
            return grad;
        }
        int lead = g.length - t.length;
        List<Long> axes = new java.util.ArrayList<>();
        for (int i = 0; i < g.length; i++) {
            if (i < lead || (t[i - lead] == 1 && g[i] != 1)) {
                axes.add((long) i);
            }
        }
        Value r = grad;
        if (!axes.isEmpty()) {
            r = reduceSum(grad, true, axes.stream().mapToLong(Long::longValue).toArray());
        }
        if (!r.shape().equals(target)) {
            r = reshape(r, t);
        }
        return r;
    }
}
