package org.automixonnx.mixup;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.automixonnx.autodiff.Differentiator;
import org.automixonnx.graphs.BuildContext;
import org.automixonnx.graphs.Optimizer;
import org.automixonnx.graphs.StateVar;
import org.automixonnx.onnx.Value;

/** Appends the backward pass of a loss and the optimizer update of the chosen parameters to a graph. */
final class ParameterUpdate {
    private ParameterUpdate() {
    }

    /**
     * Differentiates {@code loss} with respect to {@code params} (gradient flow stops at {@code detached})
     * and records each parameter's optimizer update as its next value. Other parameters stay read-only.
     */
    static void minimise(BuildContext ctx, Value loss, List<StateVar> params, Optimizer optimizer,
            Collection<Value> detached) {
        Map<Value, Value> grads = new Differentiator(ctx.builder()).detach(detached)
                .gradients(loss, params.stream().map(StateVar::input).toList());
        for (StateVar p : params) {
            ctx.update(p, optimizer.update(ctx, p, grads.get(p.input())));
        }
    }
}
