package org.automixonnx.graphs;

import org.automixonnx.onnx.DType;
import org.automixonnx.onnx.Ops;
import org.automixonnx.onnx.Value;

/**
 * torch.optim.SGD with dampening 0: {@code d = g + wd p; buf = momentum buf + d; p -= lr (nesterov ? d +
 * momentum buf : buf)}. torch starts with {@code buf = d} on the first step, which a zero-initialised buffer
 * reproduces exactly. Learning rate, momentum and weight decay are inputs {@code hp.lr}, {@code hp.momentum},
 * {@code hp.weight_decay}, so schedules need no new graph.
 */
public record Sgd(boolean nesterov) implements Optimizer {
    public static final String LR = "hp.lr";
    public static final String MOMENTUM = "hp.momentum";
    public static final String WEIGHT_DECAY = "hp.weight_decay";

    @Override
    public Value update(BuildContext ctx, StateVar param, Value grad) {
        Ops o = ctx.ops();
        Value lr = ctx.hyperParameter(LR);
        Value momentum = ctx.hyperParameter(MOMENTUM);
        Value p = param.current();
        Value d = o.add(grad, o.mul(ctx.hyperParameter(WEIGHT_DECAY), p));
        StateVar buf = ctx.state(param.name() + ".momentum_buffer", Role.OPTIMIZER_STATE, DType.FLOAT,
                p.shape(), org.automixonnx.graphs.Initializer.constant(0f));
        Value bufNext = o.add(o.mul(momentum, buf.current()), d);
        ctx.update(buf, bufNext);
        Value direction = nesterov ? o.add(d, o.mul(momentum, bufNext)) : bufNext;
        return o.sub(p, o.mul(lr, direction));
    }
}
