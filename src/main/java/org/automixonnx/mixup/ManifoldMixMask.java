package org.automixonnx.mixup;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.automixonnx.models.ImageClassifier;

/**
 * ManifoldMix (Verma et al. 2019): MixUp's rule applied at a layer drawn uniformly per iteration from the input,
 * the output of stage 1 ({@code l1}) and of stage 2 ({@code l2}) of a zoo model, or the input and the named feature
 * tap of an imported one; one step graph per layer.
 */
public final class ManifoldMixMask implements MaskGenerator {
    private static final List<String> ZOO_TAPS = List.of("l1", "l2");

    private final List<String> sites;

    /** Mixing at the input or at one of {@code taps}. */
    public ManifoldMixMask(List<String> taps) {
        List<String> all = new ArrayList<>();
        all.add(SampleMixStep.INPUT);
        all.addAll(taps);
        this.sites = List.copyOf(all);
    }

    /** The zoo's sites: input, l1, l2. */
    public ManifoldMixMask() {
        this(ZOO_TAPS);
    }

    /** The sites for {@code net}: the zoo's where it has l1 and l2, else the input and its taps. */
    public static ManifoldMixMask forClassifier(ImageClassifier net) {
        if (net.taps().containsAll(ZOO_TAPS)) {
            return new ManifoldMixMask();
        }
        if (net.taps().isEmpty()) {
            throw new IllegalArgumentException("manifoldmix mixes at a feature tap, and the model has none "
                    + "(with --model-file, name one with --feature-tap)");
        }
        return new ManifoldMixMask(net.taps());
    }

    @Override
    public List<String> sites() {
        return sites;
    }

    @Override
    public boolean pixelMask() {
        return false;
    }

    @Override
    public MixDraw draw(SplittableRandom rng, double lam, Pairing pairing) {
        return MixDraw.ratio(lam).atSite(rng.nextInt(sites.size()));
    }
}
