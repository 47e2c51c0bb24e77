package org.automixonnx.models;

import java.util.List;
import org.automixonnx.graphs.BuildContext;
import org.automixonnx.graphs.Network;
import org.automixonnx.onnx.Value;

/**
 * An image classifier as the mixup methods see it: a backbone with named feature taps, pooled features
 * [N, D], and one or two linear heads over them (see {@link Head}). Zoo models are {@link StagedClassifier}s
 * (taps l1..l4 after the stages); a user's imported ONNX classifier taps a tensor it names.
 */
public abstract class ImageClassifier implements Network {

    private final int numClasses;
    private final boolean twoHeads;

    protected ImageClassifier(int numClasses, boolean twoHeads) {
        if (numClasses < 1) {
            throw new IllegalArgumentException("need at least one class, got " + numClasses);
        }
        this.numClasses = numClasses;
        this.twoHeads = twoHeads;
    }

    public int numClasses() {
        return numClasses;
    }

    public boolean twoHeads() {
        return twoHeads;
    }

    /** The same architecture with two heads ({@code head_one}, {@code head_mix}) or with the single head. */
    public abstract ImageClassifier withTwoHeads(boolean two);

    /**
     * Fails with one line naming the size when the network cannot take images of {@code chw} (C, H, W), so that a run
     * refuses them before it starts; most networks take any size (the default).
     */
    public void checkImage(long[] chw) {
    }

    /** Module name of the single head (torchvision's {@code fc} for ResNets). */
    protected abstract String singleHeadName();

    /** Names of the feature taps {@link #features} accepts, in forward order. */
    public abstract List<String> taps();

    /**
     * The features at {@code tap}; the tensor passes through {@link BuildContext#tap} so a method can read it
     * or replace it (ManifoldMix) while the rest of the forward pass is built.
     */
    public abstract Value features(BuildContext ctx, Value x, String tap);

    /** Backbone output fed to the heads: [N, D]. Feature taps on the way pass through {@link BuildContext#tap}. */
    public abstract Value pooledFeatures(BuildContext ctx, Value x);

    /** A linear head under an explicit module name (e.g. {@code head_one}) over pooled features [N, D]. */
    public abstract Value head(BuildContext ctx, String moduleName, Value pooled);

    /** The linear head {@code h} over pooled features [N, D] -> logits [N, K]. */
    public Value head(BuildContext ctx, Head h, Value pooled) {
        return head(ctx, h.moduleName(twoHeads, singleHeadName()), pooled);
    }

    public Value logits(BuildContext ctx, Value x, Head h) {
        return head(ctx, h, pooledFeatures(ctx, x));
    }

    /** Logits of the one-hot head (the deployed classifier). */
    @Override
    public Value forward(BuildContext ctx, Value x) {
        return logits(ctx, x, Head.ONE);
    }
}
