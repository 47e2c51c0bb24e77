package org.automixonnx.autodiff;

import org.automixonnx.onnx.DType;
import org.automixonnx.onnx.Ops;
import org.automixonnx.onnx.Value;

/**
 * Backward rules of piecewise-linear operators that route each output element's gradient to the input
 * element it was selected from: Where, Max, Min, Clip, ReduceMax, Abs.
 */
final class SelectGrads {
    private SelectGrads() {
    }

    /** Where(cond, a, b): a gets the gradient where cond holds, b elsewhere; cond gets none. */
    static void where(GradContext c) {
        Ops o = c.ops();
        Value cond = c.input(0);
        Value g = c.grad();
        Value zero = o.scalar(0f);
        if (c.needsGrad(1)) {
            c.setGradBroadcast(1, o.where(cond, g, zero));
        }
        if (c.needsGrad(2)) {
            c.setGradBroadcast(2, o.where(cond, zero, g));
        }
    }

    /**
     * Max and Min (any number of inputs): an input gets the gradient where it equals the output. At ties
     * every tied input receives it (a valid subgradient only up to that duplication; training data has
     * continuous values, where exact ties between distinct inputs do not occur).
     */
    static void extremum(GradContext c) {
        Ops o = c.ops();
        Value y = c.output(0);
        for (int i = 0; i < c.inputCount(); i++) {
            if (c.needsGrad(i)) {
                Value hit = o.cast(o.equal(c.input(i), y), c.grad().dtype());
                c.setGradBroadcast(i, o.mul(c.grad(), hit));
            }
        }
    }

    /**
     * Clip(x, min, max): x gets the gradient where it was not clipped (y == x); a bound given as a tensor
     * gets it where it was the active limit.
     */
    static void clip(GradContext c) {
        Ops o = c.ops();
        Value x = c.input(0);
        Value g = c.grad();
        DType t = g.dtype();
        c.setGrad(0, o.mul(g, o.cast(o.equal(x, c.output(0)), t)));
        if (c.needsGrad(1)) {
            c.setGradBroadcast(1, o.mul(g, o.cast(o.less(x, c.input(1)), t)));
        }
        if (c.needsGrad(2)) {
            c.setGradBroadcast(2, o.mul(g, o.cast(o.greater(x, c.input(2)), t)));
        }
    }

    /** ReduceMax: the gradient goes to the maximal elements, shared evenly among ties (like torch.amax). */
    static void reduceMax(GradContext c) {
        Ops o = c.ops();
        boolean[] red = ReduceGrads.reducedAxes(c);
        Value x = c.input(0);
        long[] keep = x.shape().dims();
        long[] axes = new long[red.length];
        int k = 0;
        for (int i = 0; i < red.length; i++) {
            if (red[i]) {
                keep[i] = 1;
                axes[k++] = i;
            }
        }
        Value y = c.output(0);
        if (y.rank() != keep.length) {
            y = o.reshape(y, keep);
        }
        Value hit = o.cast(o.equal(x, y), c.grad().dtype());
        Value count = o.reduceSum(hit, true, java.util.Arrays.copyOf(axes, k));
        Value share = o.div(hit, count);
        c.setGrad(0, o.mul(ReduceGrads.broadcastBack(c, red), share));
    }

    /** Abs: g * sign(x) (0 at x = 0, the subgradient PyTorch uses). */
    static void abs(GradContext c) {
        Ops o = c.ops();
        c.setGrad(0, o.mul(c.grad(), c.builder().op("Sign", c.input(0))));
    }
}
