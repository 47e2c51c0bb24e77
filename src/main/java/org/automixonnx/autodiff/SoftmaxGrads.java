package org.automixonnx.autodiff;

import org.automixonnx.onnx.Ops;
import org.automixonnx.onnx.Value;

/** Backward rules of Softmax and LogSoftmax (opset 13+: normalised along one axis, default -1). */
final class SoftmaxGrads {
    private SoftmaxGrads() {
    }

    private static long axis(GradContext c) {
        return ShapeGrads.axis(c.node().attrInt("axis", -1), c.input(0).rank());
    }

    /** dx = y * (g - sum(g * y)) along the axis. */
    static void softmax(GradContext c) {
        Ops o = c.ops();
        Value y = c.output(0);
        Value g = c.grad();
        Value dot = o.reduceSum(o.mul(g, y), true, axis(c));
        c.setGrad(0, o.mul(y, o.sub(g, dot)));
    }

    /** dx = g - softmax(x) * sum(g) along the axis, with softmax(x) = exp(y). */
    static void logSoftmax(GradContext c) {
        Ops o = c.ops();
        Value g = c.grad();
        Value total = o.reduceSum(g, true, axis(c));
        c.setGrad(0, o.sub(g, o.mul(o.exp(c.output(0)), total)));
    }
}
