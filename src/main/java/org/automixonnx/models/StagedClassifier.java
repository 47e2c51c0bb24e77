package org.automixonnx.models;

import java.util.List;
import org.automixonnx.graphs.BuildContext;
import org.automixonnx.graphs.Initializer;
import org.automixonnx.models.nn.Layers;
import org.automixonnx.onnx.Value;

/**
 * The zoo's backbone shape: a stem and four stages whose outputs are the feature taps {@code l1..l4}, global
 * average pooling of {@code l4}, and linear heads initialised Normal(0, 0.01) with zero bias (docs/automix.md).
 * Subclasses write only the stem and the stages.
 */
public abstract class StagedClassifier extends ImageClassifier {
    public static final List<String> TAPS = List.of("l1", "l2", "l3", "l4");
    static final Initializer HEAD_INIT = Initializer.normal(0.01);

    protected StagedClassifier(int numClasses, boolean twoHeads) {
        super(numClasses, twoHeads);
    }

    protected abstract Value stem(BuildContext ctx, Value x);

    /** Stage {@code s} (1..4) applied to the previous stage's output (or the stem's for s = 1). */
    protected abstract Value stage(BuildContext ctx, int s, Value h);

    @Override
    public List<String> taps() {
        return TAPS;
    }

    /** Stem and stages up to and including {@code tap}. */
    @Override
    public Value features(BuildContext ctx, Value x, String tap) {
        int last = tapNumber(tap);
        Value h = stem(ctx, x);
        for (int s = 1; s <= last; s++) {
            h = ctx.tap(TAPS.get(s - 1), stage(ctx, s, h));
        }
        return h;
    }

    /** k for tap {@code lk} (1..4); an unknown name fails naming the known ones. */
    static int tapNumber(String tap) {
        int k = TAPS.indexOf(tap) + 1;
        if (k == 0) {
            throw new IllegalArgumentException("unknown feature tap '" + tap + "'; known: " + TAPS);
        }
        return k;
    }

    @Override
    public Value pooledFeatures(BuildContext ctx, Value x) {
        return Layers.globalAvgPoolFlatten(ctx, features(ctx, x, TAPS.get(TAPS.size() - 1)));
    }

    @Override
    public Value head(BuildContext ctx, String moduleName, Value pooled) {
        return Layers.linear(ctx, moduleName, pooled, numClasses(), HEAD_INIT, Initializer.constant(0f));
    }
}
