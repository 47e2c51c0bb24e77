package org.automixonnx.autodiff;

import java.util.stream.LongStream;
import org.automixonnx.onnx.Ops;
import org.automixonnx.onnx.Value;

/** Backward rules of normalisation layers. */
final class NormGrads {
    private NormGrads() {
    }

    /**
     * LayerNormalization (opset 17) over axes {@code axis..rank-1}, with n elements per group:
     * xhat = (x - mean) * inv, y = xhat * scale + bias. With dxhat = dy * scale,
     * dx = inv * (dxhat - mean(dxhat) - xhat * mean(dxhat * xhat)). The statistics are recomputed here
     * (the forward's optional Mean/InvStdDev outputs are usually not requested); gradients reaching those
     * optional outputs are added as well: d mean/dx = 1/n, d inv/dx = -inv^3 (x - mean) / n.
     */
    static void layerNorm(GradContext c) {
        Ops o = c.ops();
        Value x = c.input(0);
        int rank = x.rank();
        int axis = ShapeGrads.axis(c.node().attrInt("axis", -1), rank);
        float eps = c.node().attrFloat("epsilon", 1e-5f);
        long[] axes = LongStream.range(axis, rank).toArray();
        long n = 1;
        for (int i = axis; i < rank; i++) {
            n *= x.dim(i);
        }

        Value xc = o.sub(x, o.reduceMean(x, true, axes));
        Value inv = o.reciprocal(o.sqrt(o.add(o.reduceMean(o.mul(xc, xc), true, axes), eps)));
        Value xhat = o.mul(xc, inv);

        Value dy = c.gradOutput(0);
        Value dx = null;
        if (dy != null) {
            if (c.needsGrad(1)) {
                c.setGradBroadcast(1, o.mul(dy, xhat));
            }
            if (c.needsGrad(2)) {
                c.setGradBroadcast(2, dy);
            }
            Value dxhat = o.mul(dy, c.input(1));
            Value centred = o.sub(dxhat, o.reduceMean(dxhat, true, axes));
            Value projected = o.mul(xhat, o.reduceMean(o.mul(dxhat, xhat), true, axes));
            dx = o.mul(inv, o.sub(centred, projected));
        }
        dx = plus(o, dx, c.gradOutput(1) == null ? null : o.mul(c.gradOutput(1), 1f / n));
        if (c.gradOutput(2) != null) {
            Value inv3 = o.mul(inv, o.mul(inv, inv));
            dx = plus(o, dx, o.mul(o.mul(c.gradOutput(2), inv3), o.mul(xc, -1f / n)));
        }
        if (dx != null) {
            c.setGradBroadcast(0, dx);
        }
    }

    private static Value plus(Ops o, Value acc, Value term) {
        return acc == null ? term : term == null ? acc : o.add(acc, term);
    }
}
