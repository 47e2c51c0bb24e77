package org.automixonnx.mixup;

import java.util.LinkedHashMap;
import java.util.Map;
import org.automixonnx.runtime.StateStore;

/**
 * A reusable copy of a method's state groups for {@link MixMethod#snapshot()} / {@link MixMethod#rollback()}:
 * the copies are allocated once and overwritten by each save, so snapshotting every step allocates nothing.
 */
final class StateSnapshot {
    private final Map<String, StateStore> copies = new LinkedHashMap<>();
    private boolean saved;

    /** Copies every group of {@code live} into this snapshot. */
    void save(Map<String, StateStore> live) {
        live.forEach((group, store) -> copies.computeIfAbsent(group, g -> store.copy()).copyFrom(store));
        saved = true;
    }

    /** Writes the saved copies back into the groups of {@code live} (the same groups that were saved). */
    void restore(Map<String, StateStore> live) {
        if (!saved) {
            throw new IllegalStateException("rollback without a snapshot");
        }
        if (!live.keySet().equals(copies.keySet())) {
            throw new IllegalStateException("state groups " + live.keySet() + " differ from the snapshot's "
                    + copies.keySet());
        }
        live.forEach((group, store) -> store.copyFrom(copies.get(group)));
    }
}
