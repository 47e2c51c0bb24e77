package org.automixonnx.mixup;

import java.util.SplittableRandom;

/** Where a CutMix-style box is centred: {row, column}. */
@FunctionalInterface
public interface BoxCentre {
    int[] choose(SplittableRandom rng, Pairing pairing);

    /** CutMix: uniform over the image. */
    BoxCentre UNIFORM = (rng, p) -> new int[] {rng.nextInt(p.height()), rng.nextInt(p.width())};

    /**
     * SaliencyMix: the peak of the spectral-residual saliency of the first sample's partner. The box is the same
     * for the whole batch (as in the reference code) because the label weight is one number per batch.
     */
    BoxCentre SALIENCY_PEAK = (rng, p) -> SpectralResidual.peak(SpectralResidual.saliency(p.gray(p.partner(0))));
}
