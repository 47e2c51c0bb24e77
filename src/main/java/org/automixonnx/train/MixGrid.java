package org.automixonnx.train;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;
import org.automixonnx.graphs.GraphIo;
import org.automixonnx.graphs.StepGraph;
import org.automixonnx.mixup.MaskStatistics;
import org.automixonnx.onnx.HeapBudget;
import org.automixonnx.onnx.Shape;
import org.automixonnx.onnx.Tensor;
import org.automixonnx.runtime.AtomicFiles;
import org.automixonnx.runtime.GraphSession;
import org.automixonnx.runtime.SessionFactory;

/**
 * The picture of the AutoMix paper's Fig. 4: for each pair of images (A, B), the mixed image
 * {@code (1 - s) A + s B} and the MixBlock's mask s (B's weight, white = all B) at several lambdas, with the
 * {@link MaskStatistics} of the drawn masks at each lambda.
 */
public final class MixGrid {
    public static final double[] LAMBDAS = {0.0, 0.3, 0.5, 0.7, 1.0};
    /** Which image carries which weight, for whoever reads the grid. */
    public static final String LEGEND = "each row: A, its partner B, then per lambda (A's share) the mix (1 - s) A"
            + " + s B and the mask s = B's weight per pixel (white = all B), whose target mean is 1 - lambda";
    private static final int LABEL = 18;

    private MixGrid() {
    }

    /** A rendered grid and the statistics of its drawn masks, one per entry of {@link #LAMBDAS}. */
    public record Drawing(BufferedImage image, List<MaskStatistics> perLambda) {
        /** {@link #LEGEND}, then one line per lambda: {@code lam 0.3  mask_gap 0.0123  mask_std ...}. */
        public List<String> report() {
            List<String> lines = new ArrayList<>();
            lines.add(LEGEND);
            for (int k = 0; k < LAMBDAS.length; k++) {
                Map<String, Double> figures = new LinkedHashMap<>();
                perLambda.get(k).putInto(figures);
                StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "lam %.1f", LAMBDAS[k]));
                figures.forEach((name, v) -> line.append(String.format(Locale.ROOT, "  %s %.4f", name, v)));
                lines.add(line.toString());
            }
            return lines;
        }
    }

    /**
     * @param masks    the {@code mixblock_masks} graph
     * @param state    its state (teacher and MixBlock tensors by name)
     * @param images   [P, C, H, W] normalised images (the A of each pair)
     * @param partners index of each image's partner B in {@code images}
     * @param rows     how many pairs to draw and measure: those of images 0..rows-1 (the others may serve as
     *                 partners only)
     */
    public static Drawing render(StepGraph masks, Map<String, Tensor> state, float[] images, long[] partners, int rows,
            long[] image, float[] mean, float[] std, int scale, SessionFactory sessions) {
        int p = partners.length;
        if (rows < 1 || rows > p) {
            throw new IllegalArgumentException("cannot draw " + rows + " of " + p + " pairs");
        }
        int c = (int) image[0];
        int h = (int) image[1];
        int w = (int) image[2];
        int plane = h * w;
        int tile = Math.max(h, w) * scale;
        int cols = 2 + 2 * LAMBDAS.length;
        long width = (long) cols * (tile + 2);
        long height = LABEL + (long) rows * (tile + 2);
        String tooLarge = HeapBudget.refusal(HeapBudget.product(4, width, height)); // one int per pixel
        if (tooLarge != null) {
            throw new IllegalArgumentException("a drawing of " + rows + " pairs at scale " + scale + " is " + width + "x"
                    + height + " pixels, which " + tooLarge + "; use a smaller --scale or fewer --pairs");
        }
        BufferedImage out = new BufferedImage(cols * (tile + 2), LABEL + rows * (tile + 2), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, out.getWidth(), out.getHeight());
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.drawString("A (1 - s)", 4, 13);
        g.drawString("B (s)", tile + 6, 13);
        for (int k = 0; k < LAMBDAS.length; k++) {
            int x0 = (2 + 2 * k) * (tile + 2);
            g.drawString(String.format(Locale.ROOT, "mix, lam=%.1f", LAMBDAS[k]), x0 + 2, 13);
            g.drawString("mask s", x0 + tile + 4, 13);
        }
        List<MaskStatistics> perLambda = new ArrayList<>();
        try (GraphSession s = new GraphSession(masks.model(), sessions)) {
            Map<String, Tensor> feed = new java.util.HashMap<>(state);
            feed.keySet().retainAll(masks.inputs().stream().map(io -> io.name()).toList());
            feed.put(GraphIo.IMAGES, Tensor.ofFloats(Shape.of(p, c, h, w), images));
            feed.put(GraphIo.PERMUTATION, Tensor.ofLongs(Shape.of(p), partners));
            for (int k = 0; k < LAMBDAS.length; k++) {
                // lam is the share of A (docs/automix.md); the MixBlock returns B's weight s.
                feed.put(GraphIo.LAMBDA, Tensor.scalar((float) LAMBDAS[k]));
                float[] mask = s.run(feed, List.of("mask")).get("mask").floats();
                MaskStatistics drawn = new MaskStatistics();
                drawn.add(FloatBuffer.wrap(mask, 0, rows * plane), rows, LAMBDAS[k]);
                perLambda.add(drawn);
                for (int i = 0; i < rows; i++) {
                    int row = LABEL + i * (tile + 2);
                    int j = (int) partners[i];
                    if (k == 0) {
                        draw(out, images, i, c, h, w, mean, std, null, 0, scale, 0, row);
                        draw(out, images, j, c, h, w, mean, std, null, 0, scale, tile + 2, row);
                    }
                    int x0 = (2 + 2 * k) * (tile + 2);
                    float[] mixed = new float[c * plane];
                    for (int ch = 0; ch < c; ch++) {
                        for (int q = 0; q < plane; q++) {
                            float m = mask[i * plane + q];
                            mixed[ch * plane + q] = (1 - m) * images[(i * c + ch) * plane + q]
                                    + m * images[(j * c + ch) * plane + q];
                        }
                    }
                    draw(out, mixed, 0, c, h, w, mean, std, null, 0, scale, x0, row);
                    draw(out, null, 0, 1, h, w, null, null, mask, i, scale, x0 + tile + 2, row);
                }
            }
        }
        g.dispose();
        return new Drawing(out, List.copyOf(perLambda));
    }

    /** Draws image {@code i} of a normalised NCHW array, or (when {@code mask} is given) a grayscale mask. */
    private static void draw(BufferedImage out, float[] data, int i, int c, int h, int w, float[] mean, float[] std,
            float[] mask, int maskIndex, int scale, int x0, int y0) {
        int plane = h * w;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int rgb;
                if (mask != null) {
                    int v = clamp(mask[maskIndex * plane + y * w + x] * 255);
                    rgb = v << 16 | v << 8 | v;
                } else {
                    int[] ch = new int[3];
                    for (int k = 0; k < 3; k++) {
                        int src = Math.min(k, c - 1);
                        float v = data[(i * c + src) * plane + y * w + x] * std[src] + mean[src];
                        ch[k] = clamp(v * 255);
                    }
                    rgb = ch[0] << 16 | ch[1] << 8 | ch[2];
                }
                for (int dy = 0; dy < scale; dy++) {
                    for (int dx = 0; dx < scale; dx++) {
                        out.setRGB(x0 + x * scale + dx, y0 + y * scale + dy, rgb);
                    }
                }
            }
        }
    }

    private static int clamp(float v) {
        return Math.max(0, Math.min(255, Math.round(v)));
    }

    /** Writes the grid as PNG atomically (never through whatever stands at {@code png}: see AtomicFiles). */
    public static void write(BufferedImage img, Path png) throws IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        if (!ImageIO.write(img, "png", bytes)) {
            throw new IOException("no PNG writer available");
        }
        AtomicFiles.write(png, java.nio.ByteBuffer.wrap(bytes.toByteArray()));
    }
}
