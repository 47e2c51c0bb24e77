package org.automixonnx.models;

import java.util.List;
import org.automixonnx.graphs.BuildContext;
import org.automixonnx.graphs.Initializer;
import org.automixonnx.graphs.Network;
import org.automixonnx.models.nn.Layers;
import org.automixonnx.onnx.Value;

/**
 * An image classifier as AutoMix sees it: a backbone of a stem and four stages whose outputs are the feature
 * taps {@code l1..l4}, global average pooling, and one or two linear heads (see {@link Head}).
 * Subclasses write the stem and the stages; everything that deals with taps and heads lives here, so that
 * mixup methods can ask any model for the features at a tap and for either head.
 *
 * <p>The last tap ({@code l4}) is always the tensor that is pooled for the heads.
 */
public abstract class ImageClassifier implements Network {
    public static final List<String> TAPS = List.of("l1", "l2", "l3", "l4");
    static final Initializer HEAD_INIT = Initializer.normal(0.01);

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

    /** Module name of the single head in torchvision ({@code fc} for ResNets). */
    protected abstract String singleHeadName();

    protected abstract Value stem(BuildContext ctx, Value x);

    /** Stage {@code s} (1..4) applied to the previous stage's output (or the stem's for s = 1). */
    protected abstract Value stage(BuildContext ctx, int s, Value h);

    /** Stem and stages up to and including {@code tap}; every stage output passes through {@link BuildContext#tap}. */
    public Value features(BuildContext ctx, Value x, String tap) {
        int last = TAPS.indexOf(tap) + 1;
        if (last == 0) {
            throw new IllegalArgumentException("unknown feature tap '" + tap + "'; known: " + TAPS);
        }
        Value h = stem(ctx, x);
        for (int s = 1; s <= last; s++) {
            h = ctx.tap(TAPS.get(s - 1), stage(ctx, s, h));
        }
        return h;
    }

    /** Stem and stages 1..{@code lastStage} (1..4): the features at tap {@code l<lastStage>}. */
    public Value features(BuildContext ctx, Value x, int lastStage) {
        if (lastStage < 1 || lastStage > TAPS.size()) {
            throw new IllegalArgumentException("stage must be 1.." + TAPS.size() + ", got " + lastStage);
        }
        return features(ctx, x, TAPS.get(lastStage - 1));
    }

    /** Backbone output after global average pooling: [N, D]. */
    public Value pooledFeatures(BuildContext ctx, Value x) {
        return Layers.globalAvgPoolFlatten(ctx, features(ctx, x, TAPS.get(TAPS.size() - 1)));
    }

    /** The linear head {@code h} over pooled features [N, D] -> logits [N, K]. */
    public Value head(BuildContext ctx, Head h, Value pooled) {
        return head(ctx, h.moduleName(twoHeads, singleHeadName()), pooled);
    }

    /** A linear head under an explicit module name (e.g. {@code head_one}), with this classifier's init. */
    public Value head(BuildContext ctx, String moduleName, Value pooled) {
        return Layers.linear(ctx, moduleName, pooled, numClasses, HEAD_INIT, Initializer.constant(0f));
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
