package org.automixonnx.data;

import java.util.List;

/** The augmentations of the recipes we train: crop with padding, flip, random-resized-crop, normalisation. */
public final class Transforms {
    private Transforms() {
    }

    /** Zero-pads by {@code padding} on every side, then takes a random {@code size x size} crop. */
    public static Transform randomCrop(int size, int padding) {
        return (img, rng) -> {
            int ph = img.height + 2 * padding;
            int pw = img.width + 2 * padding;
            if (size > ph || size > pw) {
                throw new DatasetException("crop " + size + " is larger than the padded image " + ph + "x" + pw);
            }
            int top = rng.nextInt(ph - size + 1) - padding;
            int left = rng.nextInt(pw - size + 1) - padding;
            float[] out = new float[img.channels * size * size];
            for (int c = 0; c < img.channels; c++) {
                for (int y = 0; y < size; y++) {
                    int sy = y + top;
                    if (sy < 0 || sy >= img.height) {
                        continue;
                    }
                    for (int x = 0; x < size; x++) {
                        int sx = x + left;
                        if (sx >= 0 && sx < img.width) {
                            out[(c * size + y) * size + x] = img.get(c, sy, sx);
                        }
                    }
                }
            }
            img.data = out;
            img.height = size;
            img.width = size;
        };
    }

    /** The centre {@code size x size} crop (evaluation counterpart of the random crops). */
    public static Transform centerCrop(int size) {
        return (img, rng) -> {
            if (size > img.height || size > img.width) {
                throw new DatasetException("centre crop " + size + " is larger than the image " + img.height + "x"
                        + img.width);
            }
            int top = (img.height - size) / 2;
            int left = (img.width - size) / 2;
            float[] out = new float[img.channels * size * size];
            for (int c = 0; c < img.channels; c++) {
                for (int y = 0; y < size; y++) {
                    System.arraycopy(img.data, (c * img.height + top + y) * img.width + left, out, (c * size + y) * size,
                            size);
                }
            }
            img.data = out;
            img.height = size;
            img.width = size;
        };
    }

    /** Mirrors left-right with probability {@code p}. */
    public static Transform horizontalFlip(double p) {
        return (img, rng) -> {
            if (rng.nextDouble() >= p) {
                return;
            }
            for (int c = 0; c < img.channels; c++) {
                for (int y = 0; y < img.height; y++) {
                    int row = (c * img.height + y) * img.width;
                    for (int l = 0, r = img.width - 1; l < r; l++, r--) {
                        float t = img.data[row + l];
                        img.data[row + l] = img.data[row + r];
                        img.data[row + r] = t;
                    }
                }
            }
        };
    }

    /**
     * Random-resized-crop as in torchvision: area fraction in {@code [minScale, maxScale]}, log-uniform aspect
     * ratio in [3/4, 4/3], up to 10 tries, else a centre crop; then bilinear resize to {@code size x size}.
     */
    public static Transform randomResizedCrop(int size, double minScale, double maxScale) {
        return (img, rng) -> {
            double area = (double) img.height * img.width;
            int cw = img.width;
            int ch = img.height;
            int top = 0;
            int left = 0;
            boolean found = false;
            for (int attempt = 0; attempt < 10 && !found; attempt++) {
                double target = area * (minScale + (maxScale - minScale) * rng.nextDouble());
                double logRatio = Math.log(3.0 / 4) + (Math.log(4.0 / 3) - Math.log(3.0 / 4)) * rng.nextDouble();
                double ratio = Math.exp(logRatio);
                int w = (int) Math.round(Math.sqrt(target * ratio));
                int h = (int) Math.round(Math.sqrt(target / ratio));
                if (w > 0 && h > 0 && w <= img.width && h <= img.height) {
                    cw = w;
                    ch = h;
                    top = rng.nextInt(img.height - h + 1);
                    left = rng.nextInt(img.width - w + 1);
                    found = true;
                }
            }
            if (!found) {
                int s = Math.min(img.width, img.height);
                cw = s;
                ch = s;
                top = (img.height - s) / 2;
                left = (img.width - s) / 2;
            }
            resizeBilinear(img, top, left, ch, cw, size, size);
        };
    }

    /** Resizes the region [top, top+h) x [left, left+w) to outH x outW (half-pixel centres, like PyTorch). */
    static void resizeBilinear(ImageBuffer img, int top, int left, int h, int w, int outH, int outW) {
        float[] out = new float[img.channels * outH * outW];
        double sy = (double) h / outH;
        double sx = (double) w / outW;
        for (int c = 0; c < img.channels; c++) {
            for (int y = 0; y < outH; y++) {
                double fy = Math.max((y + 0.5) * sy - 0.5, 0);
                int y0 = Math.min((int) fy, h - 1);
                int y1 = Math.min(y0 + 1, h - 1);
                double wy = fy - y0;
                for (int x = 0; x < outW; x++) {
                    double fx = Math.max((x + 0.5) * sx - 0.5, 0);
                    int x0 = Math.min((int) fx, w - 1);
                    int x1 = Math.min(x0 + 1, w - 1);
                    double wx = fx - x0;
                    double v = (1 - wy) * ((1 - wx) * img.get(c, top + y0, left + x0) + wx * img.get(c, top + y0, left + x1))
                            + wy * ((1 - wx) * img.get(c, top + y1, left + x0) + wx * img.get(c, top + y1, left + x1));
                    out[(c * outH + y) * outW + x] = (float) v;
                }
            }
        }
        img.data = out;
        img.height = outH;
        img.width = outW;
    }

    /** Maps 0..255 pixels to (x/255 - mean[c]) / std[c]. */
    public static Transform normalize(float[] mean, float[] std) {
        return (img, rng) -> {
            if (mean.length != img.channels || std.length != img.channels) {
                throw new DatasetException("normalisation has " + mean.length + " channels, image has " + img.channels);
            }
            int plane = img.height * img.width;
            for (int c = 0; c < img.channels; c++) {
                float m = mean[c];
                float s = std[c];
                for (int i = c * plane; i < (c + 1) * plane; i++) {
                    img.data[i] = (img.data[i] / 255f - m) / s;
                }
            }
        };
    }

    /** Applies the steps in order. */
    public static Transform compose(List<Transform> steps) {
        return (img, rng) -> {
            for (Transform t : steps) {
                t.apply(img, rng);
            }
        };
    }
}
