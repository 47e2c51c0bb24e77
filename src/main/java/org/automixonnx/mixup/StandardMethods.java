package org.automixonnx.mixup;

import static org.automixonnx.mixup.MethodNeed.IMAGE_CLASSIFIER;
import static org.automixonnx.mixup.MethodNeed.MIX_BLOCK;
import static org.automixonnx.mixup.MethodNeed.TWO_HEADS;

/**
 * The table of built-in training methods, one registration line each: the name, the factory, then what differs from
 * {@link MethodSpec#of}'s defaults (alpha, min-lr, needs, options section). The methods live in their own files; a
 * sample-level method is its {@link MaskGenerator} plus a line here. The order is the order help texts list.
 */
final class StandardMethods {
    private StandardMethods() {
    }

    static MethodRegistry register(MethodRegistry r) {
        r.register(MethodSpec.of(AutoMix.NAME, AutoMix::new).withAlpha(2.0)
                .needing(IMAGE_CLASSIFIER, TWO_HEADS, MIX_BLOCK).withOptions(AutoMixOptions.class));
        r.register(MethodSpec.of(Vanilla.NAME, Vanilla::new));

        // sample-level baselines (docs/automix.md, "The sample-level baselines")
        r.register(SampleMixMethod.spec("mixup", net -> new MixUpMask()).withAlpha(1.0));
        r.register(SampleMixMethod.spec("cutmix", net -> CutBoxMask.cutMix()).withAlpha(0.2));
        r.register(SampleMixMethod.spec("manifoldmix", ManifoldMixMask::forClassifier).withAlpha(2.0));
        r.register(SampleMixMethod.spec("fmix", net -> new FMixMask()).withAlpha(0.2));
        r.register(SampleMixMethod.spec("resizemix", net -> new ResizeMixMask()).withAlpha(1.0));
        r.register(SampleMixMethod.spec("saliencymix", net -> CutBoxMask.saliencyMix()).withAlpha(0.2));
        r.register(SampleMixMethod.spec("gridmix", net -> new GridMixMask()).withAlpha(0.2));

        // alpha 1: PuzzleMix's reference CIFAR recipe (mixup_alpha 1)
        r.register(MethodSpec.of(PuzzleMix.NAME, PuzzleMix::new).withAlpha(1.0).needing(IMAGE_CLASSIFIER)
                .withOptions(PuzzleMixOptions.class));
        return r;
    }
}
