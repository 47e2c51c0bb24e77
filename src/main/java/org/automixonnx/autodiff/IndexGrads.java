package org.automixonnx.autodiff;

import java.util.Arrays;
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
     * Gather: rows of the gathered axis are scattered back with {@code ScatterND(reduction="add")} into
     * zeros. ScatterND addresses whole slices of the leading axis, so the gathered axis is moved to the
     * front first (a no-op for axis 0, the batch-permutation case) and the indices flattened to [m, 1].
     */
    static void gather(GradContext c) {
        Ops o = c.ops();
        Value x = c.input(0);
        long[] xd = x.shape().dims();
        if (!x.shape().isStatic() || !c.input(1).shape().isStatic()) {
            throw c.fail("Gather gradient needs static shapes, got " + x.shape() + " and " + c.input(1).shape());
        }
        int rank = xd.length;
        int axis = ShapeGrads.axis(c.node().attrInt("axis", 0), rank);
        Value idx = nonNegative(c, c.input(1), xd[axis]);
        long m = c.input(1).shape().numel();

        long[] gatheredDims = xd.clone();
        gatheredDims[axis] = m; // the output gradient with the index dimensions flattened into one
        Value g = c.grad();
        if (!g.shape().equals(Shape.of(gatheredDims))) {
            g = o.reshape(g, gatheredDims);
        }
        long[] toFront = new long[rank];
        long[] fromFront = new long[rank];
        toFront[0] = axis;
        for (int i = 1; i < rank; i++) {
            toFront[i] = i <= axis ? i - 1 : i;
        }
        for (int i = 0; i < rank; i++) {
            fromFront[(int) toFront[i]] = i;
        }
        if (axis != 0) {
            g = o.transpose(g, toFront);
        }
        long[] frontDims = new long[rank];
        for (int i = 0; i < rank; i++) {
            frontDims[i] = xd[(int) toFront[i]];
        }
        Value sum = o.scatterND(ShapeGrads.zeros(o, Shape.of(frontDims)),
                o.reshape(idx, m, 1), g, "add");
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
