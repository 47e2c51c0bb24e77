package org.automixonnx.autodiff;

import org.automixonnx.onnx.Node;
import org.automixonnx.onnx.Ops;
import org.automixonnx.onnx.Tensor;
import org.automixonnx.onnx.Value;

/**
 * Backward rule of Resize over H and W of an NCHW tensor (modes nearest and linear). Resizing is
 * linear and separable, Y = A_h X A_w^T with interpolation matrices fixed by the sizes, so the exact
 * adjoint is dX = A_h^T dY A_w: two MatMuls with constant matrices.
 */
final class ResizeGrads {
    private ResizeGrads() {
    }

    static void resize(GradContext c) {
        Node n = c.node();
        Value x = c.input(0);
        Value y = c.output(0);
        if (x.rank() != 4 || x.dim(0) != y.dim(0) || x.dim(1) != y.dim(1)) {
            throw c.fail("only resizing H and W of an NCHW tensor is supported: " + x.shape() + " -> " + y.shape());
        }
        if (n.attrInt("exclude_outside", 0) != 0) {
            throw c.fail("exclude_outside 1 is not supported");
        }
        InterpolationMatrix.Mode mode = new InterpolationMatrix.Mode(n.attrString("mode", "nearest"),
                n.attrString("coordinate_transformation_mode", "half_pixel"),
                n.attrString("nearest_mode", "round_prefer_floor"));
        try {
            mode.validate();
        } catch (IllegalArgumentException e) {
            throw c.fail(e.getMessage());
        }
        float[] scales = scales(c, x, y);
        Ops o = c.ops();
        float[][] ah = InterpolationMatrix.of(mode, (int) x.dim(2), (int) y.dim(2), scales[0]);
        float[][] aw = InterpolationMatrix.of(mode, (int) x.dim(3), (int) y.dim(3), scales[1]);
        Value rows = o.matmul(o.constant(InterpolationMatrix.tensor(ah, true)), c.grad());
        c.setGrad(0, o.matmul(rows, o.constant(InterpolationMatrix.tensor(aw, false))));
    }

    /** The H and W scales ORT uses in its coordinate transform: the given scales, else out/in. */
    private static float[] scales(GradContext c, Value x, Value y) {
        if (c.input(2) != null) {
            Tensor t = c.constantInput(2);
            if (t.numel() == 4) {
                double[] s = t.asDoubles();
                return new float[] {(float) s[2], (float) s[3]};
            }
        }
        return new float[] {(float) y.dim(2) / x.dim(2), (float) y.dim(3) / x.dim(3)};
    }
}
