package org.automixonnx.mixup;

/**
 * PuzzleMix's data smoothness term for one pair of images a (own, label 1) and b (partner, label 0) on a B x B
 * block grid: for each boundary between neighbouring blocks p | q and each choice of image on either side, the mean
 * absolute difference (over channels and along the boundary, in pixel units: normalised differences times the
 * channel's std) between the last strip of p and the first strip of q, both images first average-pooled in
 * {@code n x n} windows (n = the neighbourhood size, the largest divisor of the block size not above the setting).
 *
 * @param right [4][B * (B - 1)]: the boundary between (r, c) and (r, c + 1), by {@link #index} of the two labels
 * @param down  [4][(B - 1) * B]: between (r, c) and (r + 1, c)
 */
record BlockBoundaries(int blocks, double[][] right, double[][] down) {
    /** Table row of labels a (first block) and b (second): 0 = partner|partner ... 3 = own|own. */
    static int index(boolean a, boolean b) {
        return (a ? 2 : 0) + (b ? 1 : 0);
    }

    /** Largest divisor of {@code blockSize} that is at most {@code wanted} (at least 1). */
    static int neighbourhood(int blockSize, int wanted) {
        for (int n = Math.min(blockSize, Math.max(1, wanted)); n > 1; n--) {
            if (blockSize % n == 0) {
                return n;
            }
        }
        return 1;
    }

    /**
     * @param images NCHW batch (normalised)
     * @param own    index of image a in the batch
     * @param other  index of image b
     * @param std    per-channel std of the normalisation (differences back to pixel units)
     */
    static BlockBoundaries between(float[] images, int own, int other, int channels, int height, int width, int blocks,
            int neighbourhood, float[] std) {
        int bh = height / blocks;
        int bw = width / blocks;
        int n = Math.min(neighbourhood(bh, neighbourhood), neighbourhood(bw, neighbourhood));
        double[][][] pa = pooled(images, own, channels, height, width, n);
        double[][][] pb = pooled(images, other, channels, height, width, n);
        int kh = bh / n;
        int kw = bw / n;
        double[][][][] pools = {pb, pa}; // by label: 0 partner, 1 own
        double[][] right = new double[4][blocks * (blocks - 1)];
        double[][] down = new double[4][(blocks - 1) * blocks];
        for (int la = 0; la < 2; la++) {
            for (int lb = 0; lb < 2; lb++) {
                int t = index(la == 1, lb == 1);
                double[][][] first = pools[la];
                double[][][] second = pools[lb];
                for (int r = 0; r < blocks; r++) {
                    for (int c = 0; c + 1 < blocks; c++) {
                        double s = 0;
                        for (int ch = 0; ch < channels; ch++) {
                            for (int i = r * kh; i < (r + 1) * kh; i++) {
                                s += std[ch] * Math.abs(first[ch][i][(c + 1) * kw - 1] - second[ch][i][(c + 1) * kw]);
                            }
                        }
                        right[t][r * (blocks - 1) + c] = s / (channels * kh);
                    }
                }
                for (int r = 0; r + 1 < blocks; r++) {
                    for (int c = 0; c < blocks; c++) {
                        double s = 0;
                        for (int ch = 0; ch < channels; ch++) {
                            for (int j = c * kw; j < (c + 1) * kw; j++) {
                                s += std[ch] * Math.abs(first[ch][(r + 1) * kh - 1][j] - second[ch][(r + 1) * kh][j]);
                            }
                        }
                        down[t][r * blocks + c] = s / (channels * kw);
                    }
                }
            }
        }
        return new BlockBoundaries(blocks, right, down);
    }

    /** Image {@code j} average-pooled in n x n windows: [C][H / n][W / n]. */
    private static double[][][] pooled(float[] images, int j, int channels, int height, int width, int n) {
        double[][][] p = new double[channels][height / n][width / n];
        int base = j * channels * height * width;
        for (int ch = 0; ch < channels; ch++) {
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    p[ch][y / n][x / n] += images[base + (ch * height + y) * width + x] / (double) (n * n);
                }
            }
        }
        return p;
    }
}
