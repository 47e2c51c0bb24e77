package org.automixonnx.graphs;

/**
 * How a step builder writes a train step (docs/architecture.md, "Fused and split steps"). Both forms come from the
 * same builder; {@link ParameterUpdate} is where they part.
 */
public enum StepForm {
    /** One graph: forward, loss, backward and the optimizer update, state in and {@code .next} state out. */
    FUSED,
    /**
     * Two graphs: a gradient graph (forward, loss, backward: each trained parameter's gradient, the losses and the
     * BatchNorm statistics' {@code .next} out; parameters and optimizer state unchanged) and the optimizer graph it
     * carries ({@link StepGraph#optimizerStep()}: parameters, optimizer state and gradients in, their {@code .next}
     * out), so that gradients can be averaged across workers between the two runs.
     */
    SPLIT
}
