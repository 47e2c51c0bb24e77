package org.automixonnx.graphs;

/** What a graph input or output is for; written to manifest.json so tools and users can tell them apart. */
public enum Role {
    /** A batch of data: images, labels, permutations, masks. */
    DATA,
    /** A trainable tensor (weights, biases, BN affine). */
    PARAMETER,
    /** Optimizer buffers: momentum, Adam moments, step counters. */
    OPTIMIZER_STATE,
    /** BatchNorm running mean/variance (and batches-tracked counters). */
    BN_STATISTIC,
    /** Per-step scalars fed by Java: learning rate, momentum, weight decay, loss weights. */
    HYPER_PARAMETER,
    /** Loss terms (scalars). */
    LOSS,
    /** Metrics computed in the graph (accuracy counts, logits, masks). */
    METRIC,
    /**
     * The gradient of the loss with respect to one trained parameter, {@code GraphIo.gradient(param)}: an output
     * of a step's gradient graph and an input of its optimizer graph (the split form, {@link StepForm#SPLIT}).
     */
    GRADIENT;

    /** Roles whose values are carried from one step to the next ({@code name} in, {@code name.next} out). */
    public boolean isState() {
        return this == PARAMETER || this == OPTIMIZER_STATE || this == BN_STATISTIC;
    }
}
