package org.automixonnx.mixup;

import org.automixonnx.data.Batch;

/** A batch and its pairing: sample i is mixed with sample {@code perm[i]}. */
public record Pairing(Batch batch, long[] perm) {
    public Pairing {
        if (perm.length != batch.size()) {
            throw new IllegalArgumentException("permutation of " + perm.length + " for a batch of " + batch.size());
        }
    }

    public int size() {
        return batch.size();
    }

    public int channels() {
        return batch.channels();
    }

    public int height() {
        return batch.height();
    }

    public int width() {
        return batch.width();
    }

    public int pixels() {
        return batch.height() * batch.width();
    }

    public int partner(int sample) {
        return (int) perm[sample];
    }

    /** Sample {@code j}'s image averaged over its channels, [H][W]. */
    public double[][] gray(int j) {
        int h = height();
        int w = width();
        int c = channels();
        float[] x = batch.images();
        double[][] g = new double[h][w];
        int base = j * c * h * w;
        for (int ch = 0; ch < c; ch++) {
            for (int y = 0; y < h; y++) {
                for (int xx = 0; xx < w; xx++) {
                    g[y][xx] += x[base + (ch * h + y) * w + xx] / (double) c;
                }
            }
        }
        return g;
    }
}
