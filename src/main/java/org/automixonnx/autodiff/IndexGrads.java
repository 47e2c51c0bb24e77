package org.automixonnx.autodiff;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.automixonnx.onnx.DType;
import org.automixonnx.onnx.Ops;
import org.automixonnx.onnx.Shape;
import org.automixonnx.onnx.Tensor;
import org.automixonnx.onnx.Value;

/**
 * Backward rules of indexing: the adjoint of a gather is a scatter that ADDS, because an index may repeat
 * (a batch permutation with repeats reads one row several times, and all those reads send gradient back).
 */
final class IndexGrads {
    private IndexGrads() {
    }

    /**
     * Below this many rows on the gathered axis, the scatter-add is done as a OneHot matrix product.
     * Measured on ORT 1.29 CPU (2 cores), gradient [m, d] with m random indices into r rows:
     * r = m = 128, d = 3072: OneHot+MatMul 1.7 ms, ScatterND(add) 3.8 ms, ScatterElements(add) 7.7 ms;
     * r = m = 512: 6.0 vs 5.2 ms; r = m = 1024, d = 64: 10.3 vs 0.7 ms (the product grows with r).
     */
    static final long ONE_HOT_MAX_ROWS = 256;

    /**
     * Gather: the gathered axis is moved to the front (a no-op for axis 0, the batch-permutation case) and
     * the index dimensions flattened to one of length m; then every gradient row is added into the row it
     * was read from, either as {@code OneHot(idx)[r, m] @ g[m, d]} (few rows) or with
     * {@code ScatterND(reduction="add")} into zeros (many rows).
     */
    static void gather(GradContext c) {
        Ops o = c.ops();
        Value x = c.input(0);
        if (!x.shape().isStatic() || !c.input(1).shape().isStatic()) {
            throw c.fail("Gather gradient needs static shapes, got " + x.shape() + " and " + c.input(1).shape());
        }
        long[] xd = x.shape().dims();
        int rank = xd.length;
        int axis = ShapeGrads.axis(c.node().attrInt("axis", 0), rank);
        long rows = xd[axis];
        long m = c.input(1).shape().numel();
        Value idx = nonNegative(c, c.input(1), rows);
        if (idx.rank() != 1) {
            idx = o.reshape(idx, m);
        }

        long[] toFront = new long[rank];
        long[] fromFront = new long[rank];
        toFront[0] = axis;
        for (int i = 1; i < rank; i++) {
            toFront[i] = i <= axis ? i - 1 : i;
        }
        long[] frontDims = new long[rank];
        for (int i = 0; i < rank; i++) {
            fromFront[(int) toFront[i]] = i;
            frontDims[i] = xd[(int) toFront[i]];
        }
        long[] gatheredDims = xd.clone();
        gatheredDims[axis] = m;
        Value g = c.grad();
        if (!g.shape().equals(Shape.of(gatheredDims))) {
            g = o.reshape(g, gatheredDims);
        }
        if (axis != 0) {
            g = o.transpose(g, toFront);
        }
        Value sum;
        if (rows <= ONE_HOT_MAX_ROWS) {
            Value onOff = o.constant(Tensor.ofFloats(Shape.of(2), new float[] {0f, 1f}));
            Value selector = c.builder().op("OneHot", List.of(idx, c.builder().longs(rows), onOff),
                    Map.of("axis", 0L));
            long rest = Shape.of(frontDims).numel() / rows;
            sum = o.reshape(o.matmul(o.cast(selector, g.dtype()), o.reshape(g, m, rest)), frontDims);
        } else {
            sum = o.scatterND(ShapeGrads.zeros(o, Shape.of(frontDims)), o.unsqueeze(idx, 1), g, "add");
        }
        c.setGrad(0, axis != 0 ? o.transpose(sum, fromFront) : sum);
    }

    /** GatherElements: each output element came from one input element; scatter-add it back. */
    static void gatherElements(GradContext c) {
        Ops o = c.ops();
        Value x = c.input(0);
        int axis = ShapeGrads.axis(c.node().attrInt("axis", 0), x.rank());
        Value idx = nonNegative(c, c.input(1), x.dim(axis));
        c.setGrad(0, o.scatterElements(ShapeGrads.zeros(o, x.shape()), idx, c.grad(), axis, "add"));
    }

    /**
     * Int64 indices with negative entries (counted from the end, as Gather allows) wrapped into range;
     * skipped when the indices are a constant known to be non-negative.
     */
    private static Value nonNegative(GradContext c, Value idx, long dim) {
        Ops o = c.ops();
        Value i64 = o.cast(idx, DType.INT64);
        Tensor known = c.builder().constantValue(idx);
        if (known != null && Arrays.stream(known.asDoubles()).allMatch(v -> v >= 0)) {
            return i64;
        }
        Value wrap = o.mul(o.cast(o.less(i64, o.constant(Tensor.scalar(0L))), DType.INT64),
                o.constant(Tensor.scalar(dim)));
        return o.add(i64, wrap);
    }
}
