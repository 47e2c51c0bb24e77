package org.automixonnx.mixup;

import java.util.SplittableRandom;

/**
 * ResizeMix (Qin et al. 2020): the whole partner, shrunk by nearest-neighbour resizing into a box of side
 * {@code tau} times the image's, pasted at a uniform position (the same box for the whole batch); label weight
 * {@code 1 - box area / image area}. {@code tau = 0.1 + 0.7 lam}: with lam ~ Beta(1, 1) (the default alpha) that
 * is tau ~ U(0.1, 0.8); another alpha reshapes its distribution within the same range.
 *
 * <p>The graph's partner is {@code x[perm]}, so the fed batch carries inside the box every image's own resized
 * copy: each sample is the partner of exactly one other, and inside the box only that role is read (the
 * original's weight is 0 there), while outside it every image is unchanged.
 */
public final class ResizeMixMask implements MaskGenerator {
    public static final double MIN_SCALE = 0.1;
    public static final double MAX_SCALE = 0.8;

    @Override
    public boolean pixelMask() {
        return true;
    }

    @Override
    public MixDraw draw(SplittableRandom rng, double lam, Pairing p) {
        int h = p.height();
        int w = p.width();
        double tau = MIN_SCALE + (MAX_SCALE - MIN_SCALE) * lam;
        int bh = Math.max(1, (int) (tau * h));
        int bw = Math.max(1, (int) (tau * w));
        int top = rng.nextInt(h - bh + 1);
        int left = rng.nextInt(w - bw + 1);
        Box box = new Box(top, left, top + bh, left + bw);
        float[] fed = p.batch().images().clone();
        pasteShrunk(p.batch().images(), fed, p.size() * p.channels(), h, w, box);
        return MixDraw.pixels(box.keptFraction(h, w), box.cutMask(h, w)).withImages(fed);
    }

    /**
     * Writes each of {@code planes} h x w planes of {@code src}, resized to the box by nearest neighbour
     * (source index {@code floor(i * size / boxSize)}), into the box of the same plane of {@code dst}.
     */
    static void pasteShrunk(float[] src, float[] dst, int planes, int h, int w, Box box) {
        for (int plane = 0; plane < planes; plane++) {
            int base = plane * h * w;
            for (int by = 0; by < box.height(); by++) {
                int sy = by * h / box.height();
                for (int bx = 0; bx < box.width(); bx++) {
                    int sx = bx * w / box.width();
                    dst[base + (box.y0() + by) * w + box.x0() + bx] = src[base + sy * w + sx];
                }
            }
        }
    }
}
