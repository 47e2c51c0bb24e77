package org.automixonnx.mixup;

import java.util.SplittableRandom;

/** MixUp (Zhang et al. 2018): {@code x_mix = lam x + (1 - lam) x[perm]}, label weight lam. */
public final class MixUpMask implements MaskGenerator {
    @Override
    public boolean pixelMask() {
        return false;
    }

    @Override
    public MixDraw draw(SplittableRandom rng, double lam, Pairing pairing) {
        return MixDraw.ratio(lam);
    }
}
