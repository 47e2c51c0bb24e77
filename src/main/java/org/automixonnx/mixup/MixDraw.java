package org.automixonnx.mixup;

import org.automixonnx.data.Batch;

/**
 * One iteration's mix as a {@link MaskGenerator} drew it; the graph computes
 * {@code x_mix = m * x + (1 - m) * x[perm]} and the loss {@code lam CE(y) + (1 - lam) CE(y[perm])}.
 *
 * @param lam the label weight of the original sample (recomputed from the mask where the method says so)
 * @param ownMask m, the original sample's weight, the same for every sample of the batch: one value (a ratio) or
 *        H * W values (a row-major pixel map)
 * @param site index into the generator's {@link MaskGenerator#sites()}
 * @param images the NCHW batch to feed when the generator rewrote it (ResizeMix), or null for the batch as it is
 */
public record MixDraw(double lam, float[] ownMask, int site, float[] images) {
    /** Every pixel of the original weighs lam (MixUp). */
    public static MixDraw ratio(double lam) {
        return new MixDraw(lam, new float[] {(float) lam}, 0, null);
    }

    public static MixDraw pixels(double lam, float[] ownMask) {
        return new MixDraw(lam, ownMask, 0, null);
    }

    public MixDraw atSite(int s) {
        return new MixDraw(lam, ownMask, s, images);
    }

    public MixDraw withImages(float[] fed) {
        return new MixDraw(lam, ownMask, site, fed);
    }

    /** The images the graph is fed: the rewritten ones, else the batch's. */
    public float[] fedImages(Batch batch) {
        return images != null ? images : batch.images();
    }
}
