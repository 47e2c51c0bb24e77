package org.automixonnx.runtime;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * ORT tensors over direct buffers (no copy): one view per buffer however often it is fed, all closed together.
 * A runner fed from the training state sees the same few buffers over and over (the step runners alternate
 * between two sets), so each is wrapped once.
 */
final class BufferViews implements AutoCloseable {
    private final Map<DirectTensor, OnnxTensor> views = new IdentityHashMap<>();

    /** The view of {@code t}, made on first use. */
    OnnxTensor of(DirectTensor t) throws OrtException {
        OnnxTensor v = views.get(t);
        if (v == null) {
            v = t.wrapForOrt();
            views.put(t, v);
        }
        return v;
    }

    @Override
    public void close() {
        views.values().forEach(OnnxTensor::close);
        views.clear();
    }
}
