package org.automixonnx.data;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Turns an {@link ImageDataset} into augmented batches, prepared on background threads so the next batch
 * is ready when a step ends. Deterministic: the epoch's order depends only on (seed, epoch) and each
 * batch's augmentation only on (seed, epoch, batch index), whatever the number of worker threads.
 */
public final class BatchLoader implements AutoCloseable {
    private final ImageDataset data;
    private final int batchSize;
    private final boolean shuffle;
    private final boolean dropLast;
    private final Transform transform;
    private final long seed;
    private final ExecutorService workers;
    private final int prefetch;

    public BatchLoader(ImageDataset data, int batchSize, boolean shuffle, boolean dropLast, Transform transform,
            long seed, int workerThreads) {
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batch size must be positive");
        }
        if (dropLast && data.size() < batchSize) {
            throw new DatasetException("data set has " + data.size() + " images, fewer than one batch of " + batchSize);
        }
        this.data = data;
        this.batchSize = batchSize;
        this.shuffle = shuffle;
        this.dropLast = dropLast;
        this.transform = transform;
        this.seed = seed;
        this.prefetch = Math.max(2, workerThreads * 2);
        this.workers = Executors.newFixedThreadPool(Math.max(1, workerThreads), r -> {
            Thread t = new Thread(r, "batch-loader");
            t.setDaemon(true);
            return t;
        });
    }

    public int batchSize() {
        return batchSize;
    }

    public int batchesPerEpoch() {
        return dropLast ? data.size() / batchSize : (data.size() + batchSize - 1) / batchSize;
    }

    public ImageDataset dataset() {
        return data;
    }

    /** The sample order of an epoch (a seeded Fisher-Yates shuffle, or identity). */
    public int[] order(int epoch) {
        int[] idx = new int[data.size()];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        if (shuffle) {
            SplittableRandom r = new SplittableRandom(mix(seed, epoch, -1));
            for (int i = idx.length - 1; i > 0; i--) {
                int j = r.nextInt(i + 1);
                int t = idx[i];
                idx[i] = idx[j];
                idx[j] = t;
            }
        }
        return idx;
    }

    static long mix(long seed, long epoch, long batch) {
        long h = seed * 0x9E3779B97F4A7C15L + epoch * 0xC2B2AE3D27D4EB4FL + batch * 0x165667B19E3779F9L;
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        return h;
    }

    /** Builds batch {@code b} of {@code epoch} synchronously (what the workers run). */
    public Batch batch(int epoch, int b, int[] order) {
        int from = b * batchSize;
        int n = Math.min(batchSize, order.length - from);
        SplittableRandom rng = new SplittableRandom(mix(seed, epoch, b));
        int c = data.channels();
        byte[] raw = new byte[data.imageBytes()];
        float[] images = null;
        long[] labels = new long[n];
        int[] idx = new int[n];
        int outC = 0;
        int outH = 0;
        int outW = 0;
        for (int k = 0; k < n; k++) {
            int i = order[from + k];
            idx[k] = i;
            labels[k] = data.label(i);
            data.copyImage(i, raw, 0);
            float[] px = new float[raw.length];
            for (int p = 0; p < raw.length; p++) {
                px[p] = raw[p] & 0xff;
            }
            ImageBuffer img = new ImageBuffer(px, c, data.height(), data.width());
            if (transform != null) {
                transform.apply(img, rng);
            }
            if (images == null) {
                outC = img.channels;
                outH = img.height;
                outW = img.width;
                images = new float[n * outC * outH * outW];
            }
            System.arraycopy(img.data, 0, images, k * img.data.length, img.data.length);
        }
        return new Batch(b, images, labels, idx, outC, outH, outW);
    }

    /** Iterates over the batches of one epoch, prefetching ahead on the worker threads. */
    public Iterator<Batch> epoch(int epoch) {
        return epoch(epoch, 0);
    }

    /**
     * The batches {@code first..} of one epoch: the same batches as {@link #epoch(int)} yields from its
     * {@code first}-th on (resuming mid-epoch), without building the ones before.
     */
    public Iterator<Batch> epoch(int epoch, int first) {
        int[] order = order(epoch);
        int count = batchesPerEpoch();
        if (first < 0 || first > count) {
            throw new IllegalArgumentException("batch " + first + " of an epoch of " + count + " batches");
        }
        BlockingQueue<Future<Batch>> queue = new ArrayBlockingQueue<>(prefetch + 1);
        return new Iterator<>() {
            int submitted = first;
            int taken = first;

            private void fill() {
                while (submitted < count && queue.size() < prefetch) {
                    int b = submitted++;
                    queue.add(workers.submit(() -> batch(epoch, b, order)));
                }
            }

            @Override
            public boolean hasNext() {
                return taken < count;
            }

            @Override
            public Batch next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                fill();
                try {
                    Batch out = queue.remove().get();
                    taken++;
                    fill();
                    return out;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while loading a batch", e);
                } catch (java.util.concurrent.ExecutionException e) {
                    Throwable cause = e.getCause();
                    if (cause instanceof RuntimeException re) {
                        throw re;
                    }
                    throw new IllegalStateException(cause);
                }
            }
        };
    }

    @Override
    public void close() {
        workers.shutdownNow();
    }
}
