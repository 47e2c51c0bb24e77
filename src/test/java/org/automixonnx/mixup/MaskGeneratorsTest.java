package org.automixonnx.mixup;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.automixonnx.data.Batch;
import org.junit.jupiter.api.Test;

/** The statistics of each sample-level method's masks and label weights, drawn without any graph. */
class MaskGeneratorsTest {
    private static final int C = 3;
    private static final int H = 28;
    private static final int W = 32;

    /** A batch whose every value is distinct: sample, channel, row and column can be read back from it. */
    static Batch codedBatch(int n) {
        float[] x = new float[n * C * H * W];
        for (int i = 0; i < x.length; i++) {
            x[i] = i;
        }
        return batch(n, x);
    }

    static Batch batch(int n, float[] images) {
        int[] idx = new int[n];
        long[] labels = new long[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
            labels[i] = i % 10;
        }
        return new Batch(0, images, labels, idx, C, H, W);
    }

    private static Pairing pairing(int n, SplittableRandom r) {
        return new Pairing(codedBatch(n), Sampling.permutation(r, n));
    }

    private static int zeros(float[] mask) {
        int z = 0;
        for (float v : mask) {
            assertTrue(v == 0f || v == 1f, "binary mask, got " + v);
            z += v == 0f ? 1 : 0;
        }
        return z;
    }

    /** The smallest box holding every 0 of a row-major H x W mask. */
    private static Box zeroBounds(float[] mask) {
        int y0 = H;
        int x0 = W;
        int y1 = 0;
        int x1 = 0;
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                if (mask[y * W + x] == 0f) {
                    y0 = Math.min(y0, y);
                    x0 = Math.min(x0, x);
                    y1 = Math.max(y1, y + 1);
                    x1 = Math.max(x1, x + 1);
                }
            }
        }
        return y1 == 0 ? new Box(0, 0, 0, 0) : new Box(y0, x0, y1, x1);
    }

    @Test
    void cutMixLambdaIsOneMinusTheBoxAreaAndTheMaskIsThatBox() {
        SplittableRandom r = new SplittableRandom(1);
        CutBoxMask cutmix = CutBoxMask.cutMix();
        int clipped = 0;
        for (int t = 0; t < 3000; t++) {
            double lam = r.nextDouble();
            MixDraw d = cutmix.draw(r, lam, pairing(4, r));
            assertNull(d.images());
            int z = zeros(d.ownMask());
            Box b = zeroBounds(d.ownMask());
            assertEquals(b.area(), z, "the partner's pixels form one filled box");
            assertEquals(1 - z / (double) (H * W), d.lam(), 1e-12, "lam = 1 - box area / image area");
            assertTrue(d.lam() >= lam - 1e-12, "flooring and clipping only shrink the box");
            int fullH = (int) (H * Math.sqrt(1 - lam));
            int fullW = (int) (W * Math.sqrt(1 - lam));
            assertTrue(b.height() <= fullH && b.width() <= fullW);
            if (b.height() < fullH || b.width() < fullW) {
                clipped++;
                assertTrue(b.y0() == 0 || b.x0() == 0 || b.y1() == H || b.x1() == W, "only the border clips: " + b);
            }
        }
        assertTrue(clipped > 300 && clipped < 2900, "a uniform centre is clipped often but not always: " + clipped);
    }

    @Test
    void cutMixCentresAreUniform() {
        SplittableRandom r = new SplittableRandom(2);
        int[] rows = new int[H];
        int n = 28_000;
        for (int t = 0; t < n; t++) {
            int[] c = BoxCentre.UNIFORM.choose(r, pairing(2, r));
            rows[c[0]]++;
            assertTrue(c[1] >= 0 && c[1] < W);
        }
        for (int count : rows) {
            assertEquals(n / H, count, 5 * Math.sqrt(n / (double) H), "rows hit uniformly");
        }
    }

    @Test
    void fMixMaskMeanIsLambdaWithinOnePixelAndTheMaskIsLowFrequency() {
        SplittableRandom r = new SplittableRandom(3);
        FMixMask fmix = new FMixMask();
        double agreement = 0;
        int draws = 400;
        int roundedUp = 0;
        for (int t = 0; t < draws; t++) {
            double lam = 0.3 + 0.4 * r.nextDouble();
            MixDraw d = fmix.draw(r, lam, pairing(2, r));
            int ones = H * W - zeros(d.ownMask());
            assertEquals(lam, d.lam(), 0, "FMix keeps the drawn lam as label weight");
            assertEquals(lam, ones / (double) (H * W), 1.0 / (H * W), "mask mean within one pixel of lam");
            assertTrue(ones == (int) Math.floor(lam * H * W) || ones == (int) Math.ceil(lam * H * W));
            roundedUp += ones == (int) Math.ceil(lam * H * W) && ones != (int) Math.floor(lam * H * W) ? 1 : 0;
            agreement += neighbourAgreement(d.ownMask());
        }
        agreement /= draws;
        // independent pixels at lam in [0.3, 0.7] agree with a neighbour about half the time (lam^2 + (1-lam)^2)
        assertTrue(agreement > 0.9, "1/f^3 masks are large smooth blobs: neighbour agreement " + agreement);
        assertTrue(roundedUp > draws / 3 && roundedUp < 2 * draws / 3, "ceil or floor by a coin flip: " + roundedUp);
    }

    @Test
    void fMixLowFrequencyImageIsNormalisedAndMadeOfLowFrequencies() {
        SplittableRandom r = new SplittableRandom(4);
        double[] img = FMixMask.lowFrequencyImage(r, H, W, FMixMask.DEFAULT_DECAY);
        double min = 1;
        double max = 0;
        for (double v : img) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        assertEquals(0, min, 1e-12);
        assertEquals(1, max, 1e-12);
        // a faster spectral decay gives a smoother image: lag-1 correlation rises with the decay power
        assertTrue(lagOneCorrelation(FMixMask.lowFrequencyImage(new SplittableRandom(5), H, W, 3)) > 0.9);
        assertTrue(lagOneCorrelation(FMixMask.lowFrequencyImage(new SplittableRandom(5), H, W, 0.5)) < 0.5);
    }

    private static double neighbourAgreement(float[] m) {
        int same = 0;
        int pairs = 0;
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                if (x + 1 < W) {
                    same += m[y * W + x] == m[y * W + x + 1] ? 1 : 0;
                    pairs++;
                }
                if (y + 1 < H) {
                    same += m[y * W + x] == m[(y + 1) * W + x] ? 1 : 0;
                    pairs++;
                }
            }
        }
        return same / (double) pairs;
    }

    private static double lagOneCorrelation(double[] img) {
        double mean = 0;
        for (double v : img) {
            mean += v / img.length;
        }
        double num = 0;
        double den = 0;
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                double a = img[y * W + x] - mean;
                den += a * a;
                if (x + 1 < W) {
                    num += a * (img[y * W + x + 1] - mean);
                }
            }
        }
        return num / den;
    }

    @Test
    void resizeMixPastesTheWholePartnerNearestResizedIntoTheBox() {
        SplittableRandom r = new SplittableRandom(6);
        ResizeMixMask resize = new ResizeMixMask();
        int n = 5;
        for (int t = 0; t < 200; t++) {
            double lam = r.nextDouble();
            Pairing p = pairing(n, r);
            float[] original = p.batch().images().clone();
            MixDraw d = resize.draw(r, lam, p);
            assertArrayEquals(original, p.batch().images(), 0f, "the batch itself is left alone");
            Box box = zeroBounds(d.ownMask());
            assertEquals(box.area(), zeros(d.ownMask()));
            double tau = ResizeMixMask.MIN_SCALE + (ResizeMixMask.MAX_SCALE - ResizeMixMask.MIN_SCALE) * lam;
            assertEquals((int) (tau * H), box.height());
            assertEquals((int) (tau * W), box.width());
            assertEquals(1 - box.area() / (double) (H * W), d.lam(), 1e-12);
            float[] fed = d.fedImages(p.batch());
            for (int i = 0; i < n; i++) {
                int j = p.partner(i);
                for (int c = 0; c < C; c++) {
                    for (int y = 0; y < H; y++) {
                        for (int x = 0; x < W; x++) {
                            // what the graph computes: own pixels where the mask is 1, the partner's where it is 0
                            float m = d.ownMask()[y * W + x];
                            float mixed = m == 1f ? fed[at(i, c, y, x)] : fed[at(j, c, y, x)];
                            float expected = box.contains(y, x)
                                    ? original[at(j, c, (int) Math.floor((y - box.y0()) * (double) H / box.height()),
                                            (int) Math.floor((x - box.x0()) * (double) W / box.width()))]
                                    : original[at(i, c, y, x)];
                            assertEquals(expected, mixed, 0f);
                        }
                    }
                }
                // the whole partner: its first and (nearly) last rows and columns both appear in the box
                float corner = fed[at(j, 0, box.y1() - 1, box.x1() - 1)];
                int sy = ((int) corner % (H * W)) / W;
                int sx = (int) corner % W;
                assertTrue(sy >= H - Math.ceil(H / (double) box.height()) && sx >= W - Math.ceil(W / (double) box.width()),
                        "box corner shows partner pixel (" + sy + ", " + sx + ")");
                assertEquals(original[at(j, 0, 0, 0)], fed[at(j, 0, box.y0(), box.x0())], 0f);
            }
        }
    }

    private static int at(int sample, int c, int y, int x) {
        return ((sample * C + c) * H + y) * W + x;
    }

    /** A flat, slightly noisy gray image with one bright pixel at (y, x). */
    private static void brightSpot(float[] images, int sample, int y, int x, SplittableRandom noise) {
        for (int c = 0; c < C; c++) {
            for (int yy = 0; yy < H; yy++) {
                for (int xx = 0; xx < W; xx++) {
                    images[at(sample, c, yy, xx)] = 0.2f + 0.05f * (float) Sampling.gaussian(noise)
                            + (yy == y && xx == x ? 3f : 0f);
                }
            }
        }
    }

    @Test
    void saliencyMixCentresTheBoxOnThePartnersBrightSpot() {
        SplittableRandom noise = new SplittableRandom(7);
        CutBoxMask saliency = CutBoxMask.saliencyMix();
        int[][] spots = {{14, 16}, {5, 25}, {20, 7}, {1, 30}, {27, 0}};
        double lam = 0.75;
        int bh = (int) (H * Math.sqrt(1 - lam));
        int bw = (int) (W * Math.sqrt(1 - lam));
        for (int[] spot : spots) {
            int n = 3;
            float[] images = new float[n * C * H * W];
            long[] perm = {2, 0, 1};
            brightSpot(images, 0, 3, 3, noise); // sample 0's own spot must not matter
            brightSpot(images, 1, 10, 10, noise);
            brightSpot(images, 2, spot[0], spot[1], noise); // the partner of sample 0
            Pairing p = new Pairing(batch(n, images), perm);
            assertArrayEquals(spot, SpectralResidual.peak(SpectralResidual.saliency(p.gray(2))));
            MixDraw d = saliency.draw(new SplittableRandom(8), lam, p);
            Box expected = Box.centred(spot[0], spot[1], bh, bw, H, W);
            assertEquals(expected, zeroBounds(d.ownMask()), "box centred on " + spot[0] + "," + spot[1] + ", clipped");
            assertEquals(expected.area(), zeros(d.ownMask()));
            assertEquals(expected.keptFraction(H, W), d.lam(), 1e-12);
            assertTrue(expected.contains(spot[0], spot[1]));
        }
        Box clipped = Box.centred(1, 30, bh, bw, H, W);
        assertEquals(new Box(0, 30 - bw / 2, 1 - bh / 2 + bh, W), clipped);
    }

    @Test
    void gridMixLambdaIsOneMinusTheHoleFractionAndTheHolesFormAGrid() {
        SplittableRandom r = new SplittableRandom(9);
        GridMixMask grid = new GridMixMask();
        int draws = 1000;
        double meanError = 0;
        int gridded = 0;
        int roomy = 0;
        for (int t = 0; t < draws; t++) {
            double lam = 0.2 + 0.6 * r.nextDouble();
            MixDraw d = grid.draw(r, lam, pairing(2, r));
            int holes = zeros(d.ownMask());
            assertEquals(1 - holes / (double) (H * W), d.lam(), 1e-12, "lam = 1 - hole area / image area");
            meanError += Math.abs(d.lam() - lam) / draws;
            int components = components(d.ownMask());
            assertTrue(components <= GridMixMask.MAX_CELLS * GridMixMask.MAX_CELLS);
            if (1 - lam <= GridMixMask.MAX_HOLE_SIDE * GridMixMask.MAX_HOLE_SIDE) {
                roomy++;
                gridded += components >= GridMixMask.MIN_CELLS * GridMixMask.MIN_CELLS ? 1 : 0;
            }
        }
        assertTrue(meanError < 0.03, "hole area follows 1 - lam up to rounding: mean |error| " + meanError);
        assertTrue(gridded > 0.95 * roomy, "separate holes on a grid: " + gridded + " of " + roomy);
    }

    /** Number of 4-connected groups of zeros. */
    private static int components(float[] mask) {
        boolean[] seen = new boolean[mask.length];
        int count = 0;
        for (int start = 0; start < mask.length; start++) {
            if (mask[start] != 0f || seen[start]) {
                continue;
            }
            count++;
            ArrayDeque<Integer> todo = new ArrayDeque<>();
            todo.add(start);
            seen[start] = true;
            while (!todo.isEmpty()) {
                int p = todo.poll();
                int y = p / W;
                int x = p % W;
                int[][] next = {{y - 1, x}, {y + 1, x}, {y, x - 1}, {y, x + 1}};
                for (int[] q : next) {
                    int k = q[0] * W + q[1];
                    if (q[0] >= 0 && q[0] < H && q[1] >= 0 && q[1] < W && mask[k] == 0f && !seen[k]) {
                        seen[k] = true;
                        todo.add(k);
                    }
                }
            }
        }
        return count;
    }

    @Test
    void manifoldMixPicksEachLayerEquallyOften() {
        ManifoldMixMask manifold = new ManifoldMixMask();
        assertEquals(List.of(SampleMixStep.INPUT, "l1", "l2"), manifold.sites());
        SplittableRandom r = new SplittableRandom(10);
        int[] counts = new int[3];
        int n = 30_000;
        for (int t = 0; t < n; t++) {
            double lam = r.nextDouble();
            MixDraw d = manifold.draw(r, lam, pairing(2, r));
            assertArrayEquals(new float[] {(float) lam}, d.ownMask());
            assertEquals(lam, d.lam());
            counts[d.site()]++;
        }
        for (int c : counts) {
            assertEquals(n / 3.0, c, 300, Arrays.toString(counts));
        }
    }
}
