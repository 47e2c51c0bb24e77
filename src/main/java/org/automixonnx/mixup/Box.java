package org.automixonnx.mixup;

import java.util.Arrays;

/** A pixel rectangle, rows [y0, y1) x columns [x0, x1), of an image. */
public record Box(int y0, int x0, int y1, int x1) {
    public Box {
        if (y0 < 0 || x0 < 0 || y1 < y0 || x1 < x0) {
            throw new IllegalArgumentException("not a box: rows [" + y0 + ", " + y1 + ") columns [" + x0 + ", " + x1 + ")");
        }
    }

    /** The box of {@code boxHeight} x {@code boxWidth} centred on (cy, cx), clipped to the {@code h} x {@code w} image. */
    public static Box centred(int cy, int cx, int boxHeight, int boxWidth, int h, int w) {
        int top = cy - boxHeight / 2;
        int left = cx - boxWidth / 2;
        return new Box(clip(top, h), clip(left, w), clip(top + boxHeight, h), clip(left + boxWidth, w));
    }

    private static int clip(int v, int size) {
        return Math.max(0, Math.min(size, v));
    }

    public int height() {
        return y1 - y0;
    }

    public int width() {
        return x1 - x0;
    }

    public int area() {
        return height() * width();
    }

    public boolean contains(int y, int x) {
        return y >= y0 && y < y1 && x >= x0 && x < x1;
    }

    /** 1 - area / image area: the original's share when the box holds the partner. */
    public double keptFraction(int h, int w) {
        return 1 - area() / (double) (h * w);
    }

    /** The own-weight map of an {@code h} x {@code w} image with the partner inside the box: 0 there, 1 elsewhere. */
    public float[] cutMask(int h, int w) {
        float[] m = new float[h * w];
        Arrays.fill(m, 1f);
        fill(m, w, 0f);
        return m;
    }

    /** Sets the box's pixels of a row-major map of width {@code w}. */
    public void fill(float[] map, int w, float value) {
        for (int y = y0; y < y1; y++) {
            Arrays.fill(map, y * w + x0, y * w + x1, value);
        }
    }
}
