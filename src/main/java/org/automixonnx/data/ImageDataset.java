package org.automixonnx.data;

import java.util.List;

/**
 * An in-memory labelled image set: 8-bit pixels in NCHW order and one class index per image. Every
 * reader (IDX, CIFAR binary, image folders) produces this, so loaders and augmentation see one format.
 */
public final class ImageDataset {
    private final byte[] pixels;
    private final int[] labels;
    private final int channels;
    private final int height;
    private final int width;
    private final List<String> classNames;

    public ImageDataset(byte[] pixels, int[] labels, int channels, int height, int width, List<String> classNames) {
        long expected = (long) labels.length * channels * height * width;
        if (pixels.length != expected) {
            throw new DatasetException("pixel buffer has " + pixels.length + " bytes, " + labels.length + " images of "
                    + channels + "x" + height + "x" + width + " need " + expected);
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classNames.size()) {
                throw new DatasetException("label " + labels[i] + " of image " + i + " is out of range 0.."
                        + (classNames.size() - 1));
            }
        }
        this.pixels = pixels;
        this.labels = labels;
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.classNames = List.copyOf(classNames);
    }

    public int size() {
        return labels.length;
    }

    public int channels() {
        return channels;
    }

    public int height() {
        return height;
    }

    public int width() {
        return width;
    }

    public int imageBytes() {
        return channels * height * width;
    }

    public int numClasses() {
        return classNames.size();
    }

    public List<String> classNames() {
        return classNames;
    }

    public int label(int i) {
        return labels[i];
    }

    /** Pixel value (0..255) of image i, channel c, row y, column x. */
    public int pixel(int i, int c, int y, int x) {
        return pixels[((i * channels + c) * height + y) * width + x] & 0xff;
    }

    /** Copies image i's bytes (C*H*W, NCHW order) into dst at offset. */
    public void copyImage(int i, byte[] dst, int offset) {
        System.arraycopy(pixels, i * imageBytes(), dst, offset, imageBytes());
    }

    /** The first n images (for quick runs and tests). */
    public ImageDataset head(int n) {
        return slice(0, Math.min(n, size()));
    }

    /** Images {@code from} (inclusive) to {@code to} (exclusive), in order. */
    public ImageDataset slice(int from, int to) {
        if (from < 0 || to > size() || from > to) {
            throw new IndexOutOfBoundsException("slice " + from + ".." + to + " of " + size() + " images");
        }
        byte[] p = java.util.Arrays.copyOfRange(pixels, from * imageBytes(), to * imageBytes());
        int[] l = java.util.Arrays.copyOfRange(labels, from, to);
        return new ImageDataset(p, l, channels, height, width, classNames);
    }
}
