package org.automixonnx.models.nn;

import org.automixonnx.graphs.BuildContext;
import org.automixonnx.graphs.Initializer;
import org.automixonnx.graphs.Role;
import org.automixonnx.graphs.StateVar;
import java.util.List;
import java.util.Map;
import org.automixonnx.onnx.Composite;
import org.automixonnx.onnx.DType;
import org.automixonnx.onnx.GraphBuilder;
import org.automixonnx.onnx.Ops;
import org.automixonnx.onnx.Shape;
import org.automixonnx.onnx.Tensor;
import org.automixonnx.onnx.Value;

/**
 * BatchNorm over [N, C, H, W] with torch.nn.BatchNorm2d semantics, written out from primitive operators
 * (standard ONNX only) and declared as a {@link Composite} so that the autodiff uses the closed-form
 * training BatchNorm backward, through the batch statistics, instead of differentiating op by op.
 *
 * <p>TRAIN: normalise with the batch mean and the biased batch variance {@code mean((x - mean)^2)} (not
 * ReduceSumSquare, which loses precision over large reductions); update {@code running = 0.9 running +
 * 0.1 batch} with the unbiased variance ({@code n / (n - 1)}) for the running variance, and count
 * {@code num_batches_tracked}. EVAL/EXPORT: normalise with the running statistics.
 */
public final class BatchNorm2d {
    public static final float EPS = 1e-5f;
    public static final float MOMENTUM = 0.1f;
    /** The gradient registry's name for the training-mode BatchNorm composite. */
    public static final String COMPOSITE = "BatchNormTraining";

    private BatchNorm2d() {
    }

    public static Value apply(BuildContext ctx, String name, Value x, Initializer weightInit) {
        try (GraphBuilder.Scope s = ctx.builder().scope(name)) {
            int c = Math.toIntExact(x.dim(1));
            Shape vec = Shape.of(c);
            Value gamma = ctx.parameter("weight", vec, weightInit);
            Value beta = ctx.parameter("bias", vec, Initializer.constant(0f));
            StateVar mean = ctx.state(ctx.qualify("running_mean"), Role.BN_STATISTIC, DType.FLOAT, vec,
                    Initializer.constant(0f));
            StateVar var = ctx.state(ctx.qualify("running_var"), Role.BN_STATISTIC, DType.FLOAT, vec,
                    Initializer.constant(1f));
            return apply(ctx, x, gamma, beta, mean, var, ctx.qualify("num_batches_tracked"), EPS, MOMENTUM);
        }
    }

    /**
     * BatchNorm over given tensors (e.g. an imported model's, under its own names): batch statistics and
     * running-stat updates in TRAIN mode, running statistics otherwise.
     *
     * @param trackedName state name of the {@code num_batches_tracked} counter
     * @param momentum    torch's convention: weight of the batch statistic in the running update
     */
    public static Value apply(BuildContext ctx, Value x, Value gamma, Value beta, StateVar mean, StateVar var,
            String trackedName, float eps, float momentum) {
        if (x.rank() != 4) {
            throw new IllegalArgumentException("BatchNorm2d needs [N, C, H, W] input, got " + x);
        }
        return ctx.mode().usesBatchStatistics()
                ? train(ctx, x, gamma, beta, mean, var, trackedName, eps, momentum)
                : inference(ctx.ops(), x, gamma, beta, mean.current(), var.current(), eps);
    }

    private static Value train(BuildContext ctx, Value x, Value gamma, Value beta, StateVar runMean,
            StateVar runVar, String trackedName, float eps, float momentum) {
        Ops o = ctx.ops();
        long c = x.dim(1);
        if (!x.shape().isStatic()) {
            throw new IllegalArgumentException("train-mode BatchNorm needs a static input shape, got " + x);
        }
        long n = x.shape().numel() / c;
        Value mean = o.reduceMean(x, true, 0, 2, 3);
        Value xc = o.sub(x, mean);
        Value var = o.reduceMean(o.mul(xc, xc), true, 0, 2, 3);
        Value invStd = o.reciprocal(o.sqrt(o.add(var, eps)));
        Value scale = o.mul(invStd, o.reshape(gamma, 1, c, 1, 1));
        Value y = o.add(o.mul(xc, scale), o.reshape(beta, 1, c, 1, 1));
        // differentiated as one operation with the closed-form backward (fewer full-size passes)
        ctx.builder().composite(new Composite(COMPOSITE, List.of(x, gamma, beta), List.of(y),
                Map.of("xc", xc, "invstd", invStd), Map.of("epsilon", eps)));

        Value batchMean = o.reshape(mean, c);
        Value unbiasedVar = o.mul(o.reshape(var, c), (float) ((double) n / (n - 1)));
        ctx.update(runMean, momentumUpdate(o, runMean.current(), batchMean, momentum));
        ctx.update(runVar, momentumUpdate(o, runVar.current(), unbiasedVar, momentum));
        StateVar tracked = ctx.state(trackedName, Role.BN_STATISTIC, DType.INT64,
                Shape.SCALAR, (shape, random) -> Tensor.scalar(0L));
        ctx.update(tracked, o.add(tracked.current(), ctx.builder().constant(Tensor.scalar(1L))));
        return y;
    }

    /** {@code (1 - m) running + m batch}, as torch updates running statistics. */
    private static Value momentumUpdate(Ops o, Value running, Value batch, float momentum) {
        return o.add(o.mul(running, 1f - momentum), o.mul(batch, momentum));
    }

    private static Value inference(Ops o, Value x, Value gamma, Value beta, Value runMean, Value runVar,
            float eps) {
        long c = x.dim(1);
        Value scale = o.div(gamma, o.sqrt(o.add(runVar, eps)));
        Value shift = o.sub(beta, o.mul(runMean, scale));
        return o.add(o.mul(x, o.reshape(scale, 1, c, 1, 1)), o.reshape(shift, 1, c, 1, 1));
    }
}
