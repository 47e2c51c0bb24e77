package org.automixonnx.graphs;

import java.util.List;
import java.util.Map;
import org.automixonnx.onnx.DType;
import org.automixonnx.onnx.Ops;
import org.automixonnx.onnx.Value;

/**
 * Metrics computed inside a graph (they never reach the loss, so the backward pass ignores them). Per-sample
 * metrics are float 1/0 vectors [N], so that a caller can weight them (e.g. leave out the padding of a last
 * partial batch) before summing.
 */
public final class Metrics {
    private Metrics() {
    }

    /** Number of samples whose top-1 prediction equals the label, as an int64 scalar. */
    public static Value correct(Ops o, Value logits, Value labels) {
        Value predicted = o.builder().op("ArgMax", List.of(logits), Map.of("axis", 1L, "keepdims", 0L));
        return o.reduceSumAll(o.cast(o.equal(predicted, labels), DType.INT64));
    }

    /** Number of samples whose label is among the k largest logits, as an int64 scalar. */
    public static Value correctTopK(Ops o, Value logits, Value labels, long k) {
        return o.cast(o.reduceSumAll(topKHits(o, logits, labels, k)), DType.INT64);
    }

    /**
     * Float [N]: 1 where the label is among the k largest logits, else 0 (each label occurs at most once among
     * the top k, so the sum over the k positions is 0 or 1).
     */
    public static Value topKHits(Ops o, Value logits, Value labels, long k) {
        if (k < 1 || (logits.dim(1) >= 0 && k > logits.dim(1))) {
            throw new IllegalArgumentException("top-" + k + " of " + logits.dim(1) + " classes");
        }
        List<Value> top = o.builder().op("TopK", List.of(logits, o.builder().longs(k)),
                Map.of("axis", 1L, "largest", 1L, "sorted", 1L), 2);
        Value hits = o.cast(o.equal(top.get(1), o.unsqueeze(labels, 1)), DType.FLOAT);
        return o.reduceSum(hits, false, 1);
    }

    /**
     * Float [N]: 1 where the two largest logits are exactly the classes {@code a} and {@code b} (in either
     * order), for pairs with {@code a != b}; with {@code a == b} it is the top-2 hit of {@code a}, so callers
     * leave such pairs out.
     */
    public static Value topTwoPairHits(Ops o, Value logits, Value a, Value b) {
        return o.mul(topKHits(o, logits, a, 2), topKHits(o, logits, b, 2));
    }

    /** Float [N]: the largest softmax probability of each sample (the prediction's confidence). */
    public static Value confidence(Ops o, Value logits) {
        return o.reduceMax(o.softmax(logits, 1), false, 1);
    }

    /**
     * Int64 [N]: the equal-width confidence bin of each sample, bin b of {@code bins} holding confidences in
     * (b / bins, (b + 1) / bins] (the convention of Guo et al. 2017); a confidence of exactly 0 falls in bin 0.
     */
    public static Value confidenceBin(Ops o, Value confidence, int bins) {
        Value upper = o.builder().op("Ceil", o.mul(confidence, (float) bins));
        Value index = o.clip(o.add(upper, -1f), o.scalar(0f), o.scalar(bins - 1));
        return o.cast(index, DType.INT64);
    }

    /** Float [bins]: {@code sum_i values_i [bin_i == b]} for each bin b; {@code values} float [N], bin int64 [N]. */
    public static Value binSums(Ops o, Value bin, Value values, int bins) {
        Value members = Losses.oneHot(o, bin, bins);
        return o.reshape(o.matmul(o.unsqueeze(values, 0), members), bins);
    }
}
