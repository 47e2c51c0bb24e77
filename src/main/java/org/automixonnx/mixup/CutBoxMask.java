package org.automixonnx.mixup;

import java.util.SplittableRandom;

/**
 * A box of the partner pasted over the original, the same box for the whole batch: side ratio
 * {@code sqrt(1 - lam)} of the image's height and width, centred by a {@link BoxCentre}, clipped to the image;
 * the label weight is recomputed as {@code 1 - box area / image area}. CutMix (Yun et al. 2019) centres it
 * uniformly, SaliencyMix (Uddin et al. 2021) on the partner's saliency peak.
 */
public final class CutBoxMask implements MaskGenerator {
    private final BoxCentre centre;

    public CutBoxMask(BoxCentre centre) {
        this.centre = centre;
    }

    public static CutBoxMask cutMix() {
        return new CutBoxMask(BoxCentre.UNIFORM);
    }

    public static CutBoxMask saliencyMix() {
        return new CutBoxMask(BoxCentre.SALIENCY_PEAK);
    }

    @Override
    public boolean pixelMask() {
        return true;
    }

    @Override
    public MixDraw draw(SplittableRandom rng, double lam, Pairing p) {
        int h = p.height();
        int w = p.width();
        double side = Math.sqrt(1 - lam);
        int[] c = centre.choose(rng, p);
        Box box = Box.centred(c[0], c[1], (int) (h * side), (int) (w * side), h, w);
        return MixDraw.pixels(box.keptFraction(h, w), box.cutMask(h, w));
    }
}
