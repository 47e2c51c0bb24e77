package org.automixonnx.graphs;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.automixonnx.autodiff.Differentiator;
import org.automixonnx.onnx.Value;

/**
 * Appends the backward pass of a loss and the optimizer update of the chosen parameters to a graph: the one
 * place every train-step builder turns a loss into parameter updates, and so the one place where the fused and
 * the split form of a step ({@link StepForm}) part.
 */
public final class ParameterUpdate {
    private ParameterUpdate() {
    }

    /**
     * Differentiates {@code loss} with respect to {@code params} (gradient flow stops at {@code detached}). Fused:
     * records each parameter's optimizer update as its next value. Split: gives each gradient as output
     * {@link GraphIo#gradient} instead, leaves the parameters unchanged, and attaches the {@link OptimizerStep} that
     * applies the gradients. Other parameters stay read-only.
     *
     * @return each parameter's gradient, in the order of {@code params}
     */
    public static Map<StateVar, Value> minimise(BuildContext ctx, Value loss, List<StateVar> params,
            Optimizer optimizer, Collection<Value> detached) {
        Map<Value, Value> byInput = new Differentiator(ctx.builder()).detach(detached)
                .gradients(loss, params.stream().map(StateVar::input).toList());
        Map<StateVar, Value> grads = new LinkedHashMap<>();
        for (StateVar p : params) {
            Value g = byInput.get(p.input());
            grads.put(p, g);
            if (ctx.form() == StepForm.FUSED) {
                ctx.update(p, optimizer.update(ctx, p, g));
            } else {
                ctx.output(g, GraphIo.gradient(p.name()), Role.GRADIENT);
            }
        }
        if (ctx.form() == StepForm.SPLIT) {
            ctx.optimizerStep(OptimizerStep.build(ctx.builder().graphName(), params, optimizer));
        }
        return grads;
    }
}
