package org.automixonnx.bench;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.Random;
import org.automixonnx.data.Batch;
import org.automixonnx.graphs.GraphIo;
import org.automixonnx.runtime.DirectTensor;
import org.automixonnx.runtime.TrainStepRunner;

/**
 * Fills every data input of a step with random but valid values, for timing: floats (images, masks,
 * mixing weights) uniform in [0, 1); integers from a random permutation reduced modulo
 * {@code min(length, classes)}, which makes them valid both as labels ({@code < classes}) and as gather
 * indices into the batch ({@code < length}); bools random. Or a random image batch for a method's iteration.
 */
final class RandomBatch {
    private RandomBatch() {
    }

    static void fill(TrainStepRunner runner, int classes, long seed) {
        Random r = new Random(seed);
        for (GraphIo io : runner.layout().data()) {
            DirectTensor t = runner.input(io.name());
            int n = Math.toIntExact(t.numel());
            switch (t.dtype()) {
                case FLOAT -> {
                    FloatBuffer f = t.floats();
                    for (int i = 0; i < n; i++) {
                        f.put(i, r.nextFloat());
                    }
                }
                case INT64 -> {
                    LongBuffer l = t.longs();
                    int[] perm = permutation(n, r);
                    int modulus = Math.max(1, Math.min(n, classes));
                    for (int i = 0; i < n; i++) {
                        l.put(i, perm[i] % modulus);
                    }
                }
                case BOOL, UINT8 -> {
                    ByteBuffer b = t.bytes();
                    for (int i = 0; i < n; i++) {
                        b.put(i, (byte) r.nextInt(2));
                    }
                }
                default -> throw new IllegalArgumentException("cannot fill data input '" + io.name() + "' of type "
                        + t.dtype() + " for a benchmark");
            }
        }
    }

    /** A batch of uniform [0, 1) images (as bench/torch_step.py uses) with random labels below {@code classes}. */
    static Batch images(int n, int classes, long[] image, long seed) {
        Random r = new Random(seed);
        int c = Math.toIntExact(image[0]);
        int h = Math.toIntExact(image[1]);
        int w = Math.toIntExact(image[2]);
        float[] pixels = new float[n * c * h * w];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = r.nextFloat();
        }
        long[] labels = new long[n];
        int[] indices = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = r.nextInt(classes);
            indices[i] = i;
        }
        return new Batch(0, pixels, labels, indices, c, h, w);
    }

    private static int[] permutation(int n, Random r) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int tmp = p[i];
            p[i] = p[j];
            p[j] = tmp;
        }
        return p;
    }
}
