package org.automixonnx.graphs;

import java.util.List;
import java.util.Map;
import org.automixonnx.onnx.DType;
import org.automixonnx.onnx.Ops;
import org.automixonnx.onnx.Tensor;
import org.automixonnx.onnx.Value;

/**
 * Classification losses written with LogSoftmax and element-wise ops (so our autodiff differentiates them).
 * Hard labels go through a one-hot matrix rather than a gather: OneHot is not differentiable and needs no
 * gradient, and the rest is the same code as the soft-target loss.
 */
public final class Losses {
    private Losses() {
    }

    /** Mean over the batch of {@code -log softmax(logits)[label]}; labels int64 [N], logits [N, K]. */
    public static Value crossEntropy(Ops o, Value logits, Value labels) {
        return softCrossEntropy(o, logits, oneHot(o, labels, logits.dim(1)));
    }

    /** Mean over the batch of {@code -sum_k target_k log softmax(logits)_k}; targets float [N, K]. */
    public static Value softCrossEntropy(Ops o, Value logits, Value targets) {
        return o.neg(o.reduceMeanAll(targetLogLikelihood(o, logits, targets)));
    }

    /** Per sample [N]: {@code -log softmax(logits)[label]} (hard labels, int64 [N]). */
    public static Value crossEntropyPerSample(Ops o, Value logits, Value labels) {
        return o.neg(targetLogLikelihood(o, logits, oneHot(o, labels, logits.dim(1))));
    }

    /** Per sample [N]: {@code sum_k target_k log softmax(logits)_k}. */
    private static Value targetLogLikelihood(Ops o, Value logits, Value targets) {
        Value logp = o.logSoftmax(logits, 1);
        return o.reduceSum(o.mul(targets, logp), false, 1);
    }

    /** Float one-hot rows [N, K] of int64 labels [N]. */
    public static Value oneHot(Ops o, Value labels, long classes) {
        if (labels.dtype() != DType.INT64) {
            throw new IllegalArgumentException("labels must be int64, got " + labels);
        }
        Value depth = o.constant(Tensor.vector(classes));
        Value offOn = o.constant(Tensor.ofFloats(org.automixonnx.onnx.Shape.of(2), new float[] {0f, 1f}));
        return o.builder().op("OneHot", List.of(labels, depth, offOn), Map.of("axis", -1L));
    }
}
