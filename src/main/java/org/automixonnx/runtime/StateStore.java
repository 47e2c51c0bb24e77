package org.automixonnx.runtime;

import java.nio.FloatBuffer;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.automixonnx.graphs.StepGraph;
import org.automixonnx.onnx.Tensor;

/**
 * Every state tensor of a run (parameters, optimizer buffers, BatchNorm statistics) as a named direct
 * buffer, in a stable order. The train-step runner feeds these buffers to ORT without copies; checkpoints
 * and the EMA teacher update read and write them in bulk through {@link #floats(String)}.
 */
public final class StateStore {
    private final Map<String, DirectTensor> tensors;

    private StateStore(Map<String, DirectTensor> tensors) {
        this.tensors = tensors;
    }

    /** A store holding copies of the given heap tensors, in their iteration order. */
    public static StateStore of(Map<String, Tensor> values) {
        Map<String, DirectTensor> m = new LinkedHashMap<>();
        values.forEach((name, t) -> m.put(name, DirectTensor.copyOf(name, t)));
        return new StateStore(m);
    }

    /** A store with the initial state of a step graph. */
    public static StateStore initial(StepGraph graph) {
        return of(graph.initialState());
    }

    /**
     * A store with the same names, types and shapes: entries in {@code shared} are the very same buffers
     * (read-only state a graph does not update), every other entry is a new buffer with a copy of the data.
     */
    StateStore twin(Set<String> shared) {
        Map<String, DirectTensor> m = new LinkedHashMap<>();
        tensors.forEach((name, t) -> {
            if (shared.contains(name)) {
                m.put(name, t);
            } else {
                DirectTensor copy = new DirectTensor(name, t.dtype(), t.shape());
                copy.copyFrom(t);
                m.put(name, copy);
            }
        });
        return new StateStore(m);
    }

    /** A deep copy: new buffers with the same names, types, shapes and data (e.g. a snapshot to roll back to). */
    public StateStore copy() {
        return twin(Set.of());
    }

    public Set<String> names() {
        return Collections.unmodifiableSet(tensors.keySet());
    }

    public Collection<DirectTensor> tensors() {
        return Collections.unmodifiableCollection(tensors.values());
    }

    public int size() {
        return tensors.size();
    }

    public boolean contains(String name) {
        return tensors.containsKey(name);
    }

    /** The buffer of one state tensor. */
    public DirectTensor tensor(String name) {
        DirectTensor t = tensors.get(name);
        if (t == null) {
            throw new IllegalArgumentException("no state tensor '" + name + "' (the store holds " + tensors.size()
                    + " tensors)");
        }
        return t;
    }

    /** A live float view of a state tensor; writes change the state. */
    public FloatBuffer floats(String name) {
        return tensor(name).floats();
    }

    /** A heap copy of one state tensor. */
    public Tensor get(String name) {
        return tensor(name).toTensor();
    }

    /** Overwrites one state tensor (same type and shape) with a heap tensor. */
    public void put(String name, Tensor value) {
        tensor(name).put(value);
    }

    /** Heap copies of every tensor, in store order (for checkpoints and plain {@code session.run}). */
    public Map<String, Tensor> toTensors() {
        Map<String, Tensor> m = new LinkedHashMap<>();
        tensors.forEach((name, t) -> m.put(name, t.toTensor()));
        return m;
    }

    /**
     * Copies every tensor of this store from the same-named tensor of {@code src}; fails, before copying
     * anything, when src lacks a name or holds a different type or shape.
     */
    public void copyFrom(StateStore src) {
        for (DirectTensor t : tensors.values()) {
            DirectTensor s = src.tensors.get(t.name());
            if (s == null) {
                throw new IllegalArgumentException("source state has no tensor '" + t.name() + "'");
            }
            if (s.dtype() != t.dtype() || !s.shape().equals(t.shape())) {
                throw new IllegalArgumentException("state tensor '" + t.name() + "' is " + s.dtype() + s.shape()
                        + " in the source but " + t.dtype() + t.shape() + " here");
            }
        }
        if (src == this) {
            return;
        }
        tensors.values().forEach(t -> t.copyFrom(src.tensors.get(t.name())));
    }

    /** Total bytes held (for memory reports). */
    public long byteSize() {
        return tensors.values().stream().mapToLong(DirectTensor::byteSize).sum();
    }

    @Override
    public String toString() {
        return "StateStore(" + tensors.size() + " tensors, " + byteSize() + " bytes)";
    }
}
