package org.automixonnx.autodiff;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.automixonnx.onnx.Ops;
import org.automixonnx.onnx.Shape;
import org.automixonnx.onnx.Tensor;
import org.automixonnx.onnx.Value;

/**
 * Backward rules of operators that move elements without computing with them: reshapes, permutations,
 * concatenation and splitting, slicing, broadcasting and tiling.
 */
final class ShapeGrads {
    private ShapeGrads() {
    }

    /** Reshape, Flatten, Squeeze, Unsqueeze: the gradient is the output gradient in the input's shape. */
    static void reshapeBack(GradContext c) {
        c.setGrad(0, c.ops().reshape(c.grad(), reshapeTarget(c, c.input(0).shape())));
    }

    /**
     * Flatten: as {@link #reshapeBack}, except that a Flatten which keeps its input's shape (a 2-D input at
     * axis 1) is a layout fence, an op ORT's transpose optimizer does not move Transposes through (the Winograd
     * conv of the graphs package places such fences), and its gradient is the same fence.
     */
    static void flatten(GradContext c) {
        if (c.input(0).shape().equals(c.output(0).shape())) {
            c.setGrad(0, c.ops().flatten(c.grad(), (int) c.node().attrInt("axis", 1)));
        } else {
            reshapeBack(c);
        }
    }

    /** A Reshape target for {@code s}: its dims, with an unknown dimension left to Reshape's -1 inference. */
    private static long[] reshapeTarget(GradContext c, Shape s) {
        long[] d = s.dims();
        if (Arrays.stream(d).filter(v -> v < 0).count() > 1) {
            throw c.fail("cannot reshape the gradient back to " + s + ": more than one unknown dimension");
        }
        return d;
    }

    /** Transpose: apply the inverse permutation. */
    static void transpose(GradContext c) {
        int rank = c.input(0).rank();
        long[] perm = c.node().attrInts("perm", null);
        long[] inverse = new long[rank];
        for (int i = 0; i < rank; i++) {
            int p = perm == null ? rank - 1 - i : (int) perm[i];
            inverse[p] = i;
        }
        c.setGrad(0, c.ops().transpose(c.grad(), inverse));
    }

    /** Concat: split the output gradient back into the inputs' extents along the axis (one Split node). */
    static void concat(GradContext c) {
        int rank = c.input(0).rank();
        int axis = axis(c.node().attrInt("axis"), rank);
        long[] sizes = new long[c.inputCount()];
        for (int i = 0; i < sizes.length; i++) {
            sizes[i] = c.input(i).dim(axis);
            if (sizes[i] < 0) {
                throw c.fail("input " + i + " has an unknown size along the concatenation axis");
            }
        }
        List<Value> parts = c.ops().split(c.grad(), axis, sizes);
        for (int i = 0; i < sizes.length; i++) {
            c.setGrad(i, parts.get(i));
        }
    }

    /** Split: concatenate the output gradients; an output that no gradient reaches contributes zeros. */
    static void split(GradContext c) {
        Ops o = c.ops();
        int axis = axis(c.node().attrInt("axis", 0), c.input(0).rank());
        List<Value> parts = new ArrayList<>();
        for (int i = 0; i < c.node().outputs().size(); i++) {
            Value g = c.gradOutput(i);
            parts.add(g != null ? g : zeros(o, c.output(i).shape()));
        }
        c.setGrad(0, parts.size() == 1 ? parts.get(0) : o.concat(parts, axis));
    }

    /**
     * Slice: the adjoint of selecting positions {@code start + k*step} along each sliced axis. Per axis, the
     * gradient is padded with one zero slice and gathered with an index map that sends every input position
     * either to the output position that read it or to the zero slice. This covers every step (negative
     * too); a step of 1 is simply zero-padded back. Axes are independent, so the per-axis adjoints compose in any order.
     */
    static void slice(GradContext c) {
        Ops o = c.ops();
        long[] dims = c.input(0).shape().dims();
        long[] starts = longs(c, 1);
        long[] ends = longs(c, 2);
        long[] axes = c.node().hasInput(3) ? longs(c, 3) : null;
        long[] steps = c.node().hasInput(4) ? longs(c, 4) : null;
        Value g = c.grad();
        for (int i = 0; i < starts.length; i++) {
            int a = axis(axes == null ? i : axes[i], dims.length);
            long step = steps == null ? 1 : steps[i];
            if (dims[a] < 0) {
                throw c.fail("Slice gradient needs a known size on sliced axis " + a);
            }
            long[] positions = slicePositions(dims[a], starts[i], ends[i], step);
            if (step == 1 && positions.length == dims[a]) {
                continue; // the whole axis in order: nothing to undo
            }
            if (step == 1) { // a contiguous range: zero-pad it back to full size, one node
                long[] pads = new long[2 * dims.length];
                pads[a] = positions.length == 0 ? dims[a] : positions[0];
                pads[dims.length + a] = dims[a] - pads[a] - positions.length;
                g = o.pad(g, pads, null);
                continue;
            }
            long[] indexMap = new long[(int) dims[a]];
            Arrays.fill(indexMap, positions.length); // the zero slice appended below
            for (int k = 0; k < positions.length; k++) {
                indexMap[(int) positions[k]] = k;
            }
            long[] pads = new long[2 * dims.length];
            pads[dims.length + a] = 1;
            g = o.gather(o.pad(g, pads, null), o.constant(Tensor.vector(indexMap)), a);
        }
        c.setGrad(0, g);
    }

    /** The input positions a Slice reads along one axis, in output order (ONNX clamping rules). */
    static long[] slicePositions(long dim, long start, long end, long step) {
        long s = start < 0 ? start + dim : start;
        long e = end < 0 ? end + dim : end;
        if (step > 0) {
            s = Math.max(0, Math.min(s, dim));
            e = Math.max(0, Math.min(e, dim));
        } else {
            s = Math.max(-1, Math.min(s, dim - 1));
            e = Math.max(-1, Math.min(e, dim - 1));
        }
        List<Long> out = new ArrayList<>();
        for (long p = s; step > 0 ? p < e : p > e; p += step) {
            out.add(p);
        }
        return out.stream().mapToLong(Long::longValue).toArray();
    }

    /** Expand: the adjoint of broadcasting is summing over the broadcast axes. */
    static void expand(GradContext c) {
        c.setGradBroadcast(0, c.grad());
    }

    /**
     * Tile: view the output gradient as {@code [r0, d0, r1, d1, ...]} and sum over the repeat axes, which
     * adds up the copies of every input element.
     */
    static void tile(GradContext c) {
        Ops o = c.ops();
        long[] d = c.input(0).shape().dims();
        long[] reps = longs(c, 1);
        long[] split = new long[2 * d.length];
        long[] repeatAxes = new long[d.length];
        for (int i = 0; i < d.length; i++) {
            if (d[i] < 0) {
                throw c.fail("Tile gradient needs a static input shape, got " + c.input(0).shape());
            }
            split[2 * i] = reps[i];
            split[2 * i + 1] = d[i];
            repeatAxes[i] = 2L * i;
        }
        Value g = o.reduceSum(o.reshape(c.grad(), split), false, repeatAxes);
        c.setGrad(0, g);
    }

    static Value zeros(Ops o, Shape s) {
        return o.expand(o.scalar(0f), s.dims());
    }

    static int axis(long a, int rank) {
        return (int) (a < 0 ? a + rank : a);
    }

    static long[] longs(GradContext c, int input) {
        return Arrays.stream(c.constantInput(input).asDoubles()).mapToLong(v -> (long) v).toArray();
    }
}
