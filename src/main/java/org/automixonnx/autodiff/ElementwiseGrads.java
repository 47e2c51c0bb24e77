package org.automixonnx.autodiff;

import org.automixonnx.onnx.Ops;
import org.automixonnx.onnx.Tensor;
import org.automixonnx.onnx.Value;

/** Backward rules of element-wise arithmetic and activations (broadcasting handled by sum-to-shape). */
final class ElementwiseGrads {
    private ElementwiseGrads() {
    }

    static void add(GradContext c) {
        c.setGradBroadcast(0, c.grad());
        c.setGradBroadcast(1, c.grad());
    }

    static void sub(GradContext c) {
        c.setGradBroadcast(0, c.grad());
        if (c.needsGrad(1)) {
            c.setGradBroadcast(1, c.ops().neg(c.grad()));
        }
    }

    static void mul(GradContext c) {
        Ops o = c.ops();
        if (c.needsGrad(0)) {
            c.setGradBroadcast(0, o.mul(c.grad(), c.input(1)));
        }
        if (c.needsGrad(1)) {
            c.setGradBroadcast(1, o.mul(c.grad(), c.input(0)));
        }
    }

    /** d(a/b) = g/b, -g*a/b^2 = -(g/b)*(a/b) = -(g/b)*y. */
    static void div(GradContext c) {
        Ops o = c.ops();
        Value gOverB = o.div(c.grad(), c.input(1));
        c.setGradBroadcast(0, gOverB);
        if (c.needsGrad(1)) {
            c.setGradBroadcast(1, o.neg(o.mul(gOverB, c.output(0))));
        }
    }

    /** Sum of n inputs (also what the differentiator emits for fan-out). */
    static void sum(GradContext c) {
        for (int i = 0; i < c.inputCount(); i++) {
            c.setGradBroadcast(i, c.grad());
        }
    }

    static void neg(GradContext c) {
        c.setGrad(0, c.ops().neg(c.grad()));
    }

    static void identity(GradContext c) {
        c.setGrad(0, c.grad());
    }

    /** ReLU: mask by y > 0; Mul with a Cast mask is the fastest form on ORT CPU (OpBench reluparts). */
    static void relu(GradContext c) {
        Ops o = c.ops();
        Value mask = o.cast(o.greater(c.output(0), o.scalar(0f)), c.grad().dtype());
        c.setGrad(0, o.mul(c.grad(), mask));
    }

    /** sigmoid' = y (1 - y). */
    static void sigmoid(GradContext c) {
        Ops o = c.ops();
        Value y = c.output(0);
        c.setGrad(0, o.mul(c.grad(), o.mul(y, o.sub(o.scalar(1f), y))));
    }

    /** tanh' = 1 - y^2. */
    static void tanh(GradContext c) {
        Ops o = c.ops();
        Value y = c.output(0);
        c.setGrad(0, o.mul(c.grad(), o.sub(o.scalar(1f), o.mul(y, y))));
    }

    static void exp(GradContext c) {
        c.setGrad(0, c.ops().mul(c.grad(), c.output(0)));
    }

    static void log(GradContext c) {
        c.setGrad(0, c.ops().div(c.grad(), c.input(0)));
    }

    /** sqrt' = 1 / (2 y). */
    static void sqrt(GradContext c) {
        Ops o = c.ops();
        c.setGrad(0, o.div(o.mul(c.grad(), o.scalar(0.5f)), c.output(0)));
    }

    /** erf'(x) = 2/sqrt(pi) exp(-x^2). */
    static void erf(GradContext c) {
        Ops o = c.ops();
        Value x = c.input(0);
        Value d = o.mul(o.exp(o.neg(o.mul(x, x))), o.scalar((float) (2.0 / Math.sqrt(Math.PI))));
        c.setGrad(0, o.mul(c.grad(), d));
    }

    /** (1/x)' = -1/x^2 = -y^2. */
    static void reciprocal(GradContext c) {
        Ops o = c.ops();
        Value y = c.output(0);
        c.setGrad(0, o.neg(o.mul(c.grad(), o.mul(y, y))));
    }

    /**
     * Pow(x, p): dx = g p x^(p-1); dp = g y ln(x), only defined for x > 0 (an exponent that needs a
     * gradient therefore needs a positive base, as in PyTorch).
     */
    static void pow(GradContext c) {
        Ops o = c.ops();
        Value x = c.input(0);
        Value p = c.input(1);
        if (c.needsGrad(0)) {
            Tensor known = c.builder().constantValue(p);
            Value pMinus1 = known != null && known.numel() == 1
                    ? o.scalar((float) known.asDoubles()[0] - 1f)
                    : o.sub(p, o.scalar(1f));
            Value dx = o.mul(o.mul(c.grad(), o.cast(p, x.dtype())), o.pow(x, pMinus1));
            c.setGradBroadcast(0, dx);
        }
        if (c.needsGrad(1)) {
            c.setGradBroadcast(1, o.mul(o.mul(c.grad(), c.output(0)), o.log(x)));
        }
    }

    /** Cast between float types passes the gradient back in the input's type. */
    static void cast(GradContext c) {
        c.setGrad(0, c.ops().cast(c.grad(), c.input(0).dtype()));
    }
}
