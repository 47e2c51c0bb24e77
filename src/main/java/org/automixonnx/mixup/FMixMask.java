package org.automixonnx.mixup;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.jtransforms.fft.DoubleFFT_2D;

/**
 * FMix (Harris et al. 2020): a random low-frequency image (Gaussian complex noise on a spectrum whose amplitude
 * falls as {@code 1 / f^decay}, decay 3, taken back by an inverse real FFT and min-max normalised) binarised so that
 * its top {@code ceil(lam HW)} or {@code floor(lam HW)} pixels (a coin flip) keep the original sample; the
 * label weight is lam as drawn (the mask's mean is within one pixel of it). One mask for the whole batch.
 */
public final class FMixMask implements MaskGenerator {
    public static final double DEFAULT_DECAY = 3;

    private final double decay;

    public FMixMask(double decay) {
        if (!(decay > 0)) {
            throw new IllegalArgumentException("FMix decay power must be > 0, got " + decay);
        }
        this.decay = decay;
    }

    public FMixMask() {
        this(DEFAULT_DECAY);
    }

    @Override
    public boolean pixelMask() {
        return true;
    }

    @Override
    public MixDraw draw(SplittableRandom rng, double lam, Pairing p) {
        double[] image = lowFrequencyImage(rng, p.height(), p.width(), decay);
        return MixDraw.pixels(lam, binarise(image, lam, rng.nextBoolean()));
    }

    /**
     * The normalised low-frequency image, row-major [H * W] in [0, 1]. The half spectrum (columns 0..W/2, as
     * an inverse real FFT takes it) is Gaussian noise times {@code 1 / max(f, 1 / max(H, W))^decay}, f the
     * frequency in cycles per pixel; the other half is its conjugate mirror, so the inverse FFT is real (its real
     * part is what an inverse real FFT returns for the self-conjugate columns 0 and W/2 too).
     */
    public static double[] lowFrequencyImage(SplittableRandom rng, int h, int w, double decay) {
        double[][] f = new double[h][2 * w];
        double lowest = 1.0 / Math.max(h, w);
        for (int ky = 0; ky < h; ky++) {
            double fy = Math.min(ky, h - ky) / (double) h;
            for (int kx = 0; kx <= w / 2; kx++) {
                double fx = kx / (double) w;
                double scale = 1 / Math.pow(Math.max(Math.hypot(fy, fx), lowest), decay);
                f[ky][2 * kx] = scale * Sampling.gaussian(rng);
                f[ky][2 * kx + 1] = scale * Sampling.gaussian(rng);
            }
        }
        for (int ky = 0; ky < h; ky++) {
            for (int kx = w / 2 + 1; kx < w; kx++) {
                int my = (h - ky) % h;
                int mx = w - kx;
                f[ky][2 * kx] = f[my][2 * mx];
                f[ky][2 * kx + 1] = -f[my][2 * mx + 1];
            }
        }
        new DoubleFFT_2D(h, w).complexInverse(f, true);
        double[] out = new double[h * w];
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double v = f[y][2 * x];
                out[y * w + x] = v;
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }
        double range = max - min;
        for (int i = 0; i < out.length; i++) {
            out[i] = range > 0 ? (out[i] - min) / range : 0;
        }
        return out;
    }

    /** 1 on the {@code ceil(lam n)} (roundUp) or {@code floor(lam n)} largest values, 0 elsewhere (ties by index). */
    public static float[] binarise(double[] image, double lam, boolean roundUp) {
        int n = image.length;
        int top = (int) Math.min(n, roundUp ? Math.ceil(lam * n) : Math.floor(lam * n));
        Integer[] order = new Integer[n];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, (a, b) -> Double.compare(image[b], image[a]));
        float[] mask = new float[n];
        for (int i = 0; i < top; i++) {
            mask[order[i]] = 1f;
        }
        return mask;
    }
}
