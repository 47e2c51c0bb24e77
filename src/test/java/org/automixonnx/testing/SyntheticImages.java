package org.automixonnx.testing;

import java.util.Random;
import org.automixonnx.onnx.Shape;
import org.automixonnx.onnx.Tensor;

/**
 * A learnable toy image task: every class has a fixed random pattern; a sample is its class's pattern plus
 * Gaussian noise. Deterministic for a given seed.
 */
public final class SyntheticImages {
    private final int classes;
    private final int channels;
    private final int size;
    private final float noise;
    private final float[][] patterns;
    private final Random random;

    public SyntheticImages(int classes, int channels, int size, float noise, long seed) {
        this.classes = classes;
        this.channels = channels;
        this.size = size;
        this.noise = noise;
        this.random = new Random(seed);
        int n = channels * size * size;
        this.patterns = new float[classes][n];
        for (float[] p : patterns) {
            for (int i = 0; i < n; i++) {
                p[i] = (float) random.nextGaussian();
            }
        }
    }

    /** A batch: images [n, C, H, W] and int64 labels [n]. */
    public record Batch(Tensor x, Tensor y) {
    }

    public Batch next(int n) {
        int per = channels * size * size;
        float[] x = new float[n * per];
        long[] y = new long[n];
        for (int i = 0; i < n; i++) {
            int c = random.nextInt(classes);
            y[i] = c;
            for (int j = 0; j < per; j++) {
                x[i * per + j] = patterns[c][j] + noise * (float) random.nextGaussian();
            }
        }
        return new Batch(Tensor.ofFloats(Shape.of(n, channels, size, size), x), Tensor.ofLongs(Shape.of(n), y));
    }
}
