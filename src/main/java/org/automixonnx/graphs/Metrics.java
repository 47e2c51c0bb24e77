package org.automixonnx.graphs;

import java.util.List;
import java.util.Map;
import org.automixonnx.onnx.DType;
import org.automixonnx.onnx.Ops;
import org.automixonnx.onnx.Value;

/** Metrics computed inside a graph (they never reach the loss, so the backward pass ignores them). */
public final class Metrics {
    private Metrics() {
    }

    /** Number of samples whose top-1 prediction equals the label, as an int64 scalar. */
    public static Value correct(Ops o, Value logits, Value labels) {
        Value predicted = o.builder().op("ArgMax", List.of(logits), Map.of("axis", 1L, "keepdims", 0L));
        return o.reduceSumAll(o.cast(o.equal(predicted, labels), DType.INT64));
    }
}
