package org.automixonnx.graphs;

/** What a graph is built for; decides how layers with state (BatchNorm) behave and where parameters live. */
public enum Mode {
    /** Train step: parameters are graph inputs, BatchNorm uses batch statistics and emits running-stat updates. */
    TRAIN,
    /** Evaluation: parameters and BN statistics are graph inputs, BatchNorm uses the running statistics. */
    EVAL,
    /** Deployable model: like EVAL, but parameters and BN statistics are baked in as initializers. */
    EXPORT;

    public boolean usesBatchStatistics() {
        return this == TRAIN;
    }
}
