package org.automixonnx.autodiff;

import org.automixonnx.onnx.Ops;
import org.automixonnx.onnx.Value;

/**
 * Backward of training-mode BatchNorm as one composite ("BatchNormTraining": inputs x [N,C,...], scale [C],
 * bias [C]; output y; saved xc = x - mean and invstd = 1/sqrt(var + eps), both per channel with
 * keep-dims shape [1,C,1,...]).
 *
 * <p>Differentiating the written-out arithmetic op by op costs about twice as many full-size passes as
 * the closed form used here: with g = dy and M = N*H*W,
 * dbeta = sum g, dgamma = invstd * sum(g xc),
 * dx = gamma invstd (g - mean(g) - xc invstd^2 mean(g xc)).
 */
final class BatchNormGrads {
    private BatchNormGrads() {
    }

    static void batchNormTraining(GradContext c) {
        Ops o = c.ops();
        Value x = c.input(0);
        Value gamma = c.input(1);
        Value g = c.grad();
        Value xc = c.saved("xc");
        Value invstd = c.saved("invstd");
        long[] axes = reductionAxes(x.rank());
        long channels = x.dim(1);
        long count = x.shape().numel() / channels;
        long[] keep = invstd.shape().dims();

        Value sumG = o.reduceSum(g, true, axes);
        Value sumGxc = o.reduceSum(o.mul(g, xc), true, axes);
        c.setGrad(2, o.reshape(sumG, channels));
        if (c.needsGrad(1)) {
            c.setGrad(1, o.reshape(o.mul(sumGxc, invstd), channels));
        }
        if (c.needsGrad(0)) {
            Value k1 = o.mul(o.reshape(gamma, keep), invstd);
            Value k2 = o.mul(o.mul(k1, o.mul(invstd, invstd)), o.mul(sumGxc, 1f / count));
            Value shift = o.neg(o.mul(k1, o.mul(sumG, 1f / count)));
            Value dx = o.sub(o.add(o.mul(g, k1), shift), o.mul(xc, k2));
            c.setGrad(0, dx);
        }
    }

    /** Every axis but the channel axis 1. */
    static long[] reductionAxes(int rank) {
        long[] axes = new long[rank - 1];
        axes[0] = 0;
        for (int i = 2; i < rank; i++) {
            axes[i - 1] = i;
        }
        return axes;
    }
}
