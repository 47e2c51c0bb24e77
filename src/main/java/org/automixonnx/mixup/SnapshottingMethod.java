package org.automixonnx.mixup;

/**
 * {@link MixMethod#snapshot()} and {@link MixMethod#rollback()} for every method: one reusable copy of the groups
 * {@link #state()} returns. A method with more live state than its buffers (SampleMixMethod's live runner) adds it.
 */
abstract class SnapshottingMethod implements MixMethod {
    private final StateSnapshot snapshot = new StateSnapshot();

    @Override
    public void snapshot() {
        snapshot.save(state());
    }

    @Override
    public void rollback() {
        snapshot.restore(state());
    }
}
