package org.automixonnx.runtime;

import java.util.Collection;

/**
 * What a split train step does with its gradients between the gradient graph's run and the optimizer graph's: the
 * point where data-parallel workers meet. {@link #LOCAL} (one worker) leaves them as they are; an all-reduce across
 * workers replaces each with its mean over the workers.
 */
@FunctionalInterface
public interface GradientExchange {
    /** One worker: its gradients are the mean. */
    GradientExchange LOCAL = gradients -> {
    };

    /**
     * Replaces every gradient buffer, in place, with its mean over the workers. The buffers come in the same order
     * on every worker (the order of the trained parameters in the gradient graph), each with its name.
     */
    void average(Collection<DirectTensor> gradients);
}
