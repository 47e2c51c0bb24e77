package org.automixonnx.graphs;

import java.util.List;
import org.automixonnx.onnx.GraphBuilder;

/**
 * The optimizer graph of a split train step ({@link StepForm#SPLIT}): per trained parameter {@code p}, inputs
 * {@code p} (PARAMETER) and {@link GraphIo#gradient grad.p} (GRADIENT), plus the optimizer's own state and
 * hyper-parameters; outputs {@code p.next} and the optimizer state's {@code .next}. It is the update the fused step
 * appends after its backward pass, written by the same {@link Optimizer} in the same order, so that both forms
 * compute the same operations on the same values.
 */
final class OptimizerStep {
    /** The optimizer graph of step {@code s} is named {@code s_optimizer}. */
    static final String NAME_SUFFIX = "_optimizer";

    private OptimizerStep() {
    }

    /** @param trained the gradient graph's trained parameters (their names, types, shapes and initial values) */
    static StepGraph build(String stepName, List<StateVar> trained, Optimizer optimizer) {
        // the seed draws nothing: parameters start from the gradient graph's values, optimizer buffers from constants
        BuildContext ctx = new BuildContext(new GraphBuilder(stepName + NAME_SUFFIX), Mode.TRAIN, 0);
        for (StateVar t : trained) {
            StateVar p = ctx.state(t.name(), Role.PARAMETER, t.input().dtype(), t.input().shape(),
                    (shape, random) -> t.initial());
            ctx.update(p, optimizer.update(ctx, p, ctx.gradient(p)));
        }
        return ctx.finish();
    }
}
