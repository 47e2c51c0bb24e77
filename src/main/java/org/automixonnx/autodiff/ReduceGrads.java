package org.automixonnx.autodiff;

import java.util.Arrays;
import org.automixonnx.onnx.Node;
import org.automixonnx.onnx.Ops;
import org.automixonnx.onnx.Value;

/** Backward rules of reductions: broadcast the output gradient back over the reduced axes. */
final class ReduceGrads {
    private ReduceGrads() {
    }

    /** The reduced axes (normalised to 0..rank-1); all axes when none are given. */
    static boolean[] reducedAxes(GradContext c) {
        Node n = c.node();
        int rank = c.input(0).rank();
        long[] axes = null;
        if (n.opType().equals("ReduceSum") && n.hasInput(1)) {
            double[] d = c.constantInput(1).asDoubles();
            axes = Arrays.stream(d).mapToLong(v -> (long) v).toArray();
        } else {
            axes = n.attrInts("axes", null);
        }
        boolean[] red = new boolean[rank];
        if (axes == null || axes.length == 0) {
            Arrays.fill(red, n.attrInt("noop_with_empty_axes", 0) == 0);
        } else {
            for (long a : axes) {
                red[(int) (a < 0 ? a + rank : a)] = true;
            }
        }
        return red;
    }

    /** The output gradient reshaped to keep-dims form and expanded to the input's shape. */
    static Value broadcastBack(GradContext c, boolean[] red) {
        Ops o = c.ops();
        Value x = c.input(0);
        long[] keep = x.shape().dims();
        for (int i = 0; i < keep.length; i++) {
            if (red[i]) {
                keep[i] = 1;
            }
        }
        Value g = c.grad();
        if (!Arrays.equals(g.shape().dims(), keep)) {
            g = o.reshape(g, keep);
        }
        return o.expand(g, x.shape().dims());
    }

    static void reduceSum(GradContext c) {
        c.setGrad(0, broadcastBack(c, reducedAxes(c)));
    }

    static void reduceMean(GradContext c) {
        boolean[] red = reducedAxes(c);
        long count = 1;
        for (int i = 0; i < red.length; i++) {
            if (red[i]) {
                count *= c.input(0).dim(i);
            }
        }
        Ops o = c.ops();
        Value g = broadcastBack(c, red);
        c.setGrad(0, o.mul(g, o.scalar(1f / count)));
    }
}
