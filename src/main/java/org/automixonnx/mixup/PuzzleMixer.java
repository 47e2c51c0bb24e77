package org.automixonnx.mixup;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * PuzzleMix's Java side for one batch (Kim et al. 2020, "Puzzle Mix"): from per-pixel saliency, a pairing and the
 * batch's ratio lam, per sample i with partner j: block saliencies; the labelling of a B x B block grid that
 * minimises {@link PuzzleEnergy} (each block's own weight: 0, 1/2 or 1); the transport of each image's salient cells
 * into the region where the mask keeps some of it ({@link BlockTransport}); the pixel mask, and the label weight
 * {@code lam_i} = the mask's mean. The graph then mixes {@code mask * own' + (1 - mask) * partner'} (the transported images) and trains with
 * the soft target {@code lam_i y_i + (1 - lam_i) y_j}.
 */
public final class PuzzleMixer {
    /**
     * The reference's CIFAR settings: smoothness beta 1.2, data-smoothness gamma 0.5, prior eta 0.2, neighbourhood 4
     * pixels, 3 labels (own, half, partner), transport on with cells of 4 pixels and distance weight 0.8.
     *
     * @param labels        block labels: 2 (own or partner) or 3 (also half-and-half)
     * @param transportCell transport cell side in pixels when it divides the block side (the reference's
     *                      {@code t_size = min(t_size, block size)}); otherwise the cells are the blocks
     */
    public record Settings(double beta, double gamma, double eta, int neighbourhood, int labels, boolean transport,
            int transportCell, double transportEps) {
        public Settings {
            if (beta < 0 || gamma < 0 || eta < 0 || neighbourhood < 1 || transportCell < 1 || transportEps < 0) {
                throw new IllegalArgumentException("PuzzleMix needs beta, gamma, eta, eps >= 0 and sizes >= 1");
            }
            if (labels != 2 && labels != 3) {
                throw new IllegalArgumentException("PuzzleMix labels: 2 or 3, got " + labels);
            }
        }

        public static Settings defaults() {
            return new Settings(1.2, 0.5, 0.2, 4, 3, true, 4, 0.8);
        }

        public Settings withLabels(int l) {
            return new Settings(beta, gamma, eta, neighbourhood, l, transport, transportCell, transportEps);
        }

        public Settings withTransport(boolean on) {
            return new Settings(beta, gamma, eta, neighbourhood, labels, on, transportCell, transportEps);
        }
    }

    /**
     * One batch's mix: NCHW images to feed as own and as partner (transported), the own weight per pixel [N * H * W]
     * (0, 1, and 1/2 with 3 labels), the label weight of each sample (the mask mean), and the block grid side used.
     */
    public record Mix(float[] own, float[] partner, float[] mask, double[] lam, int blocks) {
    }

    private final Settings settings;
    private final float[] std;

    /** @param std per-channel std of the images' normalisation (the smoothness term works in pixel units) */
    public PuzzleMixer(Settings settings, float[] std) {
        this.settings = settings;
        this.std = std.clone();
    }

    /**
     * The block grid sides to draw from: divisors of both H and W between 2 and 16 (for 32 x 32 the reference's
     * {2, 4, 8, 16}; for 28 x 28: {2, 4, 7, 14}).
     */
    public static List<Integer> blockCounts(int height, int width) {
        List<Integer> out = new ArrayList<>();
        for (int b = 2; b <= 16; b++) {
            if (height % b == 0 && width % b == 0) {
                out.add(b);
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("PuzzleMix needs a block grid of 2..16 dividing " + height + " x " + width);
        }
        return out;
    }

    /**
     * @param images   NCHW batch (normalised), not modified
     * @param saliency per pixel [N * H * W]
     * @param perm     sample i's partner is perm[i]
     * @param lam      the batch's ratio (prior of the labelling)
     * @param blocks   block grid side B (divides H and W)
     */
    public Mix mix(float[] images, int channels, int height, int width, float[] saliency, long[] perm, double lam,
            int blocks) {
        int n = perm.length;
        if (height % blocks != 0 || width % blocks != 0) {
            throw new IllegalArgumentException(blocks + " blocks do not divide " + height + " x " + width);
        }
        int bh = height / blocks;
        int cells = transportSide(blocks, bh, width / blocks);
        float[] own = settings.transport() ? new float[images.length] : images.clone();
        float[] partner = new float[images.length];
        float[] mask = new float[n * height * width];
        double[] ratio = new double[n];
        double[][] blockSaliency = new double[n][];
        double[][] cellSaliency = new double[n][];
        for (int i = 0; i < n; i++) {
            blockSaliency[i] = pooledSaliency(saliency, i, height, width, blocks);
            cellSaliency[i] = settings.transport() ? pooledSaliency(saliency, i, height, width, cells) : null;
        }
        for (int i = 0; i < n; i++) {
            int j = (int) perm[i];
            BlockBoundaries d = BlockBoundaries.between(images, i, j, channels, height, width, blocks,
                    settings.neighbourhood(), std);
            PuzzleEnergy energy = new PuzzleEnergy(blocks, settings.labels(), blockSaliency[i], blockSaliency[j], d,
                    lam, settings.beta(), settings.gamma(), settings.eta());
            int[] labels = energy.minimise();
            double kept = 0;
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    float m = (float) energy.weight(labels[y / bh * blocks + x / (width / blocks)]);
                    mask[(i * height + y) * width + x] = m;
                    kept += m;
                }
            }
            ratio[i] = kept / (height * width);
            if (settings.transport()) {
                int top = settings.labels() - 1;
                boolean[] keepOwn = atCells(labels, blocks, cells, k -> k > 0);
                boolean[] keepPartner = atCells(labels, blocks, cells, k -> k < top);
                BlockTransport.move(images, i, own, i, channels, height, width, cells,
                        BlockTransport.plan(cellSaliency[i], keepOwn, cells, settings.transportEps()));
                BlockTransport.move(images, j, partner, i, channels, height, width, cells,
                        BlockTransport.plan(cellSaliency[j], keepPartner, cells, settings.transportEps()));
            } else {
                int size = channels * height * width;
                System.arraycopy(images, j * size, partner, i * size, size);
            }
        }
        return new Mix(own, partner, mask, ratio, blocks);
    }

    /** Transport grid side: cells of {@code transportCell} pixels when that divides the blocks, else the blocks. */
    int transportSide(int blocks, int blockHeight, int blockWidth) {
        int t = settings.transportCell();
        boolean fits = blockHeight == blockWidth && t < blockHeight && blockHeight % t == 0;
        return fits ? blocks * (blockHeight / t) : blocks;
    }

    /** Where the image is kept (some weight), at a finer grid of {@code cells} per side dividing into the blocks. */
    static boolean[] atCells(int[] labels, int blocks, int cells, IntPredicate kept) {
        int per = cells / blocks;
        boolean[] out = new boolean[cells * cells];
        for (int r = 0; r < cells; r++) {
            for (int c = 0; c < cells; c++) {
                out[r * cells + c] = kept.test(labels[r / per * blocks + c / per]);
            }
        }
        return out;
    }

    /** Sample i's saliency summed over a grid of side g, normalised to sum 1 (uniform when it is all zero). */
    static double[] pooledSaliency(float[] saliency, int i, int height, int width, int g) {
        double[] out = new double[g * g];
        int gh = height / g;
        int gw = width / g;
        double total = 0;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                double v = saliency[(i * height + y) * width + x];
                out[y / gh * g + x / gw] += v;
                total += v;
            }
        }
        for (int p = 0; p < out.length; p++) {
            out[p] = total > 0 ? out[p] / total : 1.0 / out.length;
        }
        return out;
    }
}
