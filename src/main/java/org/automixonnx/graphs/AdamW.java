package org.automixonnx.graphs;

import org.automixonnx.onnx.DType;
import org.automixonnx.onnx.Ops;
import org.automixonnx.onnx.Shape;
import org.automixonnx.onnx.Tensor;
import org.automixonnx.onnx.Value;

/**
 * torch.optim.AdamW (amsgrad off): {@code p *= 1 - lr wd; m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g^2;
 * p -= lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)} with t the step count after this step.
 * One float step counter {@code optimizer.step} (OPTIMIZER_STATE) serves every parameter, as all of them
 * step together. Learning rate and weight decay are inputs {@code hp.lr}, {@code hp.weight_decay}.
 */
public record AdamW(float beta1, float beta2, float eps) implements Optimizer {
    public static final String LR = "hp.lr";
    public static final String WEIGHT_DECAY = "hp.weight_decay";
    public static final String STEP = "optimizer.step";

    /** torch defaults: betas (0.9, 0.999), eps 1e-8. */
    public static AdamW defaults() {
        return new AdamW(0.9f, 0.999f, 1e-8f);
    }

    @Override
    public Value update(BuildContext ctx, StateVar param, Value grad) {
        Ops o = ctx.ops();
        Value lr = ctx.hyperParameter(LR);
        Value t = stepAfterThisOne(ctx);
        Value p = param.current();
        Value decayed = o.mul(p, o.sub(o.scalar(1f), o.mul(lr, ctx.hyperParameter(WEIGHT_DECAY))));

        StateVar m = zeroState(ctx, param.name() + ".exp_avg", p.shape());
        StateVar v = zeroState(ctx, param.name() + ".exp_avg_sq", p.shape());
        Value mNext = o.add(o.mul(m.current(), beta1), o.mul(grad, 1f - beta1));
        Value vNext = o.add(o.mul(v.current(), beta2), o.mul(o.mul(grad, grad), 1f - beta2));
        ctx.update(m, mNext);
        ctx.update(v, vNext);

        Value biasCorrection1 = o.sub(o.scalar(1f), pow(o, beta1, t));
        Value biasCorrection2 = o.sub(o.scalar(1f), pow(o, beta2, t));
        Value denom = o.add(o.div(o.sqrt(vNext), o.sqrt(biasCorrection2)), eps);
        Value stepSize = o.div(lr, biasCorrection1);
        return o.sub(decayed, o.mul(stepSize, o.div(mNext, denom)));
    }

    /** The shared step counter, incremented once per graph however many parameters read it. */
    private static Value stepAfterThisOne(BuildContext ctx) {
        StateVar step = ctx.state(STEP, Role.OPTIMIZER_STATE, DType.FLOAT, Shape.SCALAR,
                Initializer.constant(0f));
        if (step.next() == null) {
            ctx.update(step, ctx.ops().add(step.current(), 1f));
        }
        return step.next();
    }

    private static StateVar zeroState(BuildContext ctx, String name, Shape shape) {
        return ctx.state(name, Role.OPTIMIZER_STATE, DType.FLOAT, shape, Initializer.constant(0f));
    }

    private static Value pow(Ops o, float base, Value exponent) {
        return o.pow(o.constant(Tensor.scalar(base)), exponent);
    }
}
