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

    /**
     * The live state, by group (e.g. {@code student}, {@code teacher_mixblock}); names are unique across
     * groups, so a checkpoint is their union and restoring writes each tensor back into its group.
     */
    Map<String, StateStore> state();

    /**
     * Saves a copy of everything that decides the following steps (every state group, and e.g. which runner
     * holds the live state), so that {@link #rollback()} can undo what later steps did; the trainer uses it to
     * discard a step whose loss was NaN or infinite ({@code nanPolicy: skip}). Repeated calls reuse the copy.
     */
    void snapshot();

    /** Restores the state saved by the last {@link #snapshot()}; fails when there is none. */
    void rollback();

    /**
     * The accuracy that decides the "best" checkpoint: the classifier deployed by default (AutoMix: the
     * teacher's one-hot head, {@code top1_one_k}; others: {@code top1}, their single model's).
     */
    default String primaryMetric() {
        return Classifier.SINGLE_MODEL_TOP1;
    }

    /** The classifiers evaluated after each epoch (AutoMix: one/mix head x q/k encoder). */
    List<Classifier> classifiers();

    @Override
    void close();
}
