package org.automixonnx.autodiff;

import org.automixonnx.onnx.Ops;
import org.automixonnx.onnx.Value;

/** Backward rule of constant-mode Pad with non-negative pads: the gradient is the un-padded window of dY. */
final class PadGrads {
    private PadGrads() {
    }

    static void pad(GradContext c) {
        if (!c.node().attrString("mode", "constant").equals("constant")) {
            throw c.fail("only mode constant is supported");
        }
        Value x = c.input(0);
        long[] pads = longs(c, 1);
        long[] axes = c.input(3) != null ? longs(c, 3) : null;
        int n = axes == null ? x.rank() : axes.length;
        long[] starts = new long[n];
        long[] ends = new long[n];
        long[] sliceAxes = new long[n];
        for (int i = 0; i < n; i++) {
            int a = (int) (axes == null ? i : Math.floorMod(axes[i], x.rank()));
            if (pads[i] < 0 || pads[i + n] < 0) {
                throw c.fail("negative pads are not supported");
            }
            starts[i] = pads[i];
            ends[i] = pads[i] + x.dim(a);
            sliceAxes[i] = a;
        }
        Ops o = c.ops();
        Value dx = o.slice(c.grad(), starts, ends, sliceAxes, null);
        c.setGrad(0, dx);
        if (c.needsGrad(2)) {
            // The pad value appears in every padded position: its gradient is the rest of dY's sum.
            Value padSum = o.sub(o.reduceSumAll(c.grad()), o.reduceSumAll(dx));
            Value v = c.input(2);
            c.setGrad(2, v.shape().equals(padSum.shape()) ? padSum : o.reshape(padSum, v.shape()));
        }
    }

    private static long[] longs(GradContext c, int i) {
        double[] d = c.constantInput(i).asDoubles();
        long[] v = new long[d.length];
        for (int k = 0; k < d.length; k++) {
            v[k] = (long) d[k];
        }
        return v;
    }
}
