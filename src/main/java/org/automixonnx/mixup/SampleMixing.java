package org.automixonnx.mixup;

import org.automixonnx.graphs.Losses;
import org.automixonnx.onnx.Ops;
import org.automixonnx.onnx.Value;

/**
 * The two halves of sample-level mixup written into a graph: mixing a batch with its permuted partner
 * under a weight map, and the matching label mixture in the loss.
 */
public final class SampleMixing {
    private SampleMixing() {
    }

    /**
     * {@code own * x + (1 - own) * x[perm]}; {@code own} is the ORIGINAL sample's weight, broadcastable to x
     * (e.g. [N, 1, H, W] for a pixel mask, [N, 1, 1, 1] or a scalar for a global ratio).
     */
    public static Value mix(Ops o, Value x, Value perm, Value own) {
        return blend(o, x, o.gather(x, perm, 0), own);
    }

    /** {@code own * x + (1 - own) * partner} for partner images given as they are (e.g. PuzzleMix's transported ones). */
    public static Value blend(Ops o, Value x, Value partner, Value own) {
        // partner + own * (x - partner): one multiply instead of two
        return o.add(partner, o.mul(own, o.sub(x, partner)));
    }

    /**
     * {@code lam * CE(logits, y) + (1 - lam) * CE(logits, y[perm])}, written as one soft-target cross-entropy
     * with target {@code lam * onehot(y) + (1 - lam) * onehot(y[perm])} (identical, one LogSoftmax). {@code lam} is a
     * scalar or, per sample, [N, 1].
     */
    public static Value mixedCrossEntropy(Ops o, Value logits, Value labels, Value perm, Value lam) {
        Value own = Losses.oneHot(o, labels, logits.dim(1));
        Value partner = o.gather(own, perm, 0);
        Value target = o.add(partner, o.mul(lam, o.sub(own, partner)));
        return Losses.softCrossEntropy(o, logits, target);
    }
}
