package org.automixonnx.mixup;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * GridMix: a grid of partner holes inside a random region, the same for the whole batch; label weight
 * {@code 1 - hole area / image area}, counted on the mask.
 *
 * <p>The region has side ratio {@code rho} of the image's height and width, at a uniform position; it is cut into
 * g x g cells, g uniform in [{@link #MIN_CELLS}, {@link #MAX_CELLS}], and each cell gets a centred hole of side
 * ratio {@code s = sqrt(1 - lam) / rho} of the cell, which makes the hole area about (1 - lam) of the image's.
 * {@code rho ~ U(sqrt(1 - lam) / MAX_HOLE_SIDE, 1)} keeps {@code s <= MAX_HOLE_SIDE}, so the holes stay apart
 * (a grid, not one box); when the partner's share is too large for that ({@code 1 - lam > MAX_HOLE_SIDE^2}) the
 * region is the whole image and the holes grow towards each other.
 */
public final class GridMixMask implements MaskGenerator {
    public static final int MIN_CELLS = 2;
    public static final int MAX_CELLS = 4;
    /** The largest hole side as a share of its cell's while the partner's share allows. */
    public static final double MAX_HOLE_SIDE = 0.8;

    @Override
    public boolean pixelMask() {
        return true;
    }

    @Override
    public MixDraw draw(SplittableRandom rng, double lam, Pairing p) {
        int h = p.height();
        int w = p.width();
        double side = Math.sqrt(1 - lam);
        double smallest = Math.min(1, side / MAX_HOLE_SIDE);
        double rho = smallest + (1 - smallest) * rng.nextDouble();
        int rh = Math.max(1, (int) Math.round(rho * h));
        int rw = Math.max(1, (int) Math.round(rho * w));
        int top = rng.nextInt(h - rh + 1);
        int left = rng.nextInt(w - rw + 1);
        int cells = MIN_CELLS + rng.nextInt(MAX_CELLS - MIN_CELLS + 1);
        double holeSide = Math.min(1, side / rho);
        float[] mask = new float[h * w];
        Arrays.fill(mask, 1f);
        int holes = 0;
        for (Box cell : cells(top, rh, Math.min(cells, rh), left, rw, Math.min(cells, rw))) {
            Box hole = centredHole(cell, holeSide);
            hole.fill(mask, w, 0f);
            holes += hole.area();
        }
        return MixDraw.pixels(1 - holes / (double) (h * w), mask);
    }

    /** The cells of a region split into {@code ny} x {@code nx} near-equal parts. */
    private static List<Box> cells(int top, int height, int ny, int left, int width, int nx) {
        List<Box> out = new ArrayList<>();
        for (int a = 0; a < ny; a++) {
            for (int b = 0; b < nx; b++) {
                out.add(new Box(top + a * height / ny, left + b * width / nx, top + (a + 1) * height / ny,
                        left + (b + 1) * width / nx));
            }
        }
        return out;
    }

    private static Box centredHole(Box cell, double sideRatio) {
        int hh = (int) Math.round(sideRatio * cell.height());
        int hw = (int) Math.round(sideRatio * cell.width());
        int y0 = cell.y0() + (cell.height() - hh) / 2;
        int x0 = cell.x0() + (cell.width() - hw) / 2;
        return new Box(y0, x0, y0 + hh, x0 + hw);
    }
}
