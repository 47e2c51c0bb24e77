package org.automixonnx.mixup;

import java.util.List;
import java.util.SplittableRandom;

/**
 * ManifoldMix (Verma et al. 2019): MixUp's rule applied at a layer drawn uniformly per iteration from the input,
 * the output of stage 1 ({@code l1}) and of stage 2 ({@code l2}); one step graph per layer.
 */
public final class ManifoldMixMask implements MaskGenerator {
    private static final List<String> SITES = List.of(SampleMixStep.INPUT, "l1", "l2");

    @Override
    public List<String> sites() {
        return SITES;
    }

    @Override
    public boolean pixelMask() {
        return false;
    }

    @Override
    public MixDraw draw(SplittableRandom rng, double lam, Pairing pairing) {
        return MixDraw.ratio(lam).atSite(rng.nextInt(SITES.size()));
    }
}
