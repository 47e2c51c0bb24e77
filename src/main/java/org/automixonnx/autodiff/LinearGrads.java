package org.automixonnx.autodiff;

import org.automixonnx.onnx.Ops;
import org.automixonnx.onnx.Value;

/** Backward rules of matrix products. */
final class LinearGrads {
    private LinearGrads() {
    }

    /** Swaps the last two axes of a tensor of rank >= 2. */
    static Value swapLast(Ops o, Value x) {
        int r = x.rank();
        long[] perm = new long[r];
        for (int i = 0; i < r; i++) {
            perm[i] = i;
        }
        perm[r - 1] = r - 2;
        perm[r - 2] = r - 1;
        return o.transpose(x, perm);
    }

    /**
     * MatMul with numpy semantics: dA = dY B^T, dB = A^T dY, summed over broadcast batch axes.
     * 1-D operands are promoted to matrices first and the result reshaped back.
     */
    static void matmul(GradContext c) {
        Ops o = c.ops();
        Value a = c.input(0);
        Value bm = c.input(1);
        Value g = c.grad();
        Value a2 = a.rank() == 1 ? o.reshape(a, 1, a.dim(0)) : a;
        Value b2 = bm.rank() == 1 ? o.reshape(bm, bm.dim(0), 1) : bm;
        long[] gd = g.shape().dims();
        if (a.rank() == 1 || bm.rank() == 1) {
            long[] full = new long[Math.max(a2.rank(), b2.rank())];
            long[] y2 = o.matmul(a2, b2).shape().dims();
            System.arraycopy(y2, 0, full, 0, full.length);
            g = o.reshape(g, full);
        }
        if (c.needsGrad(0)) {
            Value da = o.matmul(g, swapLast(o, b2));
            da = o.sumToShape(da, a2.shape());
            c.setGrad(0, a.rank() == 1 ? o.reshape(da, a.shape()) : da);
        }
        if (c.needsGrad(1)) {
            Value db = o.matmul(swapLast(o, a2), g);
            db = o.sumToShape(db, b2.shape());
            c.setGrad(1, bm.rank() == 1 ? o.reshape(db, bm.shape()) : db);
        }
        assert gd.length >= 0;
    }

    /**
     * Gemm: Y = alpha op(A) op(B) + beta C. The input gradients are Gemms themselves with swapped operands
     * and transpose flags, so no Transpose node is emitted:
     * dA = alpha dY op(B)^T (or its transpose when transA), dB = alpha op(A)^T dY (or its transpose when
     * transB), dC = beta dY summed down to C's broadcast shape.
     */
    static void gemm(GradContext c) {
        Value a = c.input(0);
        Value bm = c.input(1);
        Value g = c.grad();
        boolean ta = c.node().attrInt("transA", 0) != 0;
        boolean tb = c.node().attrInt("transB", 0) != 0;
        float alpha = c.node().attrFloat("alpha", 1f);
        float beta = c.node().attrFloat("beta", 1f);
        if (c.needsGrad(0)) {
            c.setGrad(0, ta ? gemm(c, bm, g, tb, true, alpha) : gemm(c, g, bm, false, !tb, alpha));
        }
        if (c.needsGrad(1)) {
            c.setGrad(1, tb ? gemm(c, g, a, true, ta, alpha) : gemm(c, a, g, !ta, false, alpha));
        }
        if (c.needsGrad(2)) {
            c.setGradBroadcast(2, beta == 1f ? g : c.ops().mul(g, beta));
        }
    }

    private static Value gemm(GradContext c, Value a, Value b, boolean ta, boolean tb, float alpha) {
        java.util.Map<String, Object> at = new java.util.LinkedHashMap<>();
        at.put("transA", ta ? 1L : 0L);
        at.put("transB", tb ? 1L : 0L);
        if (alpha != 1f) {
            at.put("alpha", alpha);
        }
        return c.builder().op("Gemm", java.util.List.of(a, b), at);
    }
}
