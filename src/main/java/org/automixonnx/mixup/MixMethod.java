package org.automixonnx.mixup;

import java.util.List;
import java.util.Map;
import org.automixonnx.data.Batch;
import org.automixonnx.graphs.StepGraph;
import org.automixonnx.runtime.StateStore;

/**
 * A training method (vanilla, a mixup baseline, AutoMix) as the training loop sees it: the graphs it
 * runs, one iteration on a batch, the state to checkpoint and the classifiers to evaluate.
 */
public interface MixMethod extends AutoCloseable {
    String name();

    /** Every graph the method runs (written to the run folder). */
    List<StepGraph> graphs();

    /** One training iteration; returns its loss terms by name (e.g. {@code loss}, {@code loss_gen}). */
    Map<String, Double> step(Batch batch, Iteration it);

    /** State to checkpoint, by group (e.g. {@code student}, {@code teacher}, {@code mixblock}). */
    Map<String, StateStore> state();

    /** Restores the state groups of {@link #state()} (resume). */
    void restore(Map<String, StateStore> saved);

    /** The classifiers evaluated after each epoch (AutoMix: one/mix head x q/k encoder). */
    List<Classifier> classifiers();

    @Override
    void close();
}
