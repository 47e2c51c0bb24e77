package org.automixonnx.mixup;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** PuzzleMix's Java side: exact labelling, its costs, the transport step and the assembled mix. */
class PuzzleMixTest {
    private static final float[] STD = {0.5f};

    private static boolean[] bitsOf(int code, int n) {
        boolean[] l = new boolean[n];
        for (int p = 0; p < n; p++) {
            l[p] = (code >> p & 1) == 1;
        }
        return l;
    }

    /** Labelling number {@code code} in base {@code labels}. */
    private static int[] labelsOf(int code, int n, int labels) {
        int[] k = new int[n];
        for (int p = 0; p < n; p++) {
            k[p] = code % labels;
            code /= labels;
        }
        return k;
    }

    private static double[] random(Random r, int n, double scale) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = scale * (r.nextDouble() - 0.3);
        }
        return v;
    }

    /** Random submodular energies on random graphs of up to 10 binary variables, some orderings forbidden. */
    @Test
    void submodularCutMatchesBruteForce() {
        Random r = new Random(1);
        for (int trial = 0; trial < 300; trial++) {
            int n = 1 + r.nextInt(10);
            SubmodularCut cut = new SubmodularCut(n);
            double[][] unary = new double[n][2];
            java.util.List<double[]> terms = new java.util.ArrayList<>();
            java.util.List<int[]> forbidden = new java.util.ArrayList<>();
            for (int v = 0; v < n; v++) {
                unary[v] = new double[] {r.nextGaussian(), r.nextGaussian()};
                cut.unary(v, unary[v][0], unary[v][1]);
            }
            for (int t = 0; t < 2 * n; t++) {
                int u = r.nextInt(n);
                int v = r.nextInt(n);
                if (u == v) {
                    continue;
                }
                double e00 = r.nextGaussian();
                double e11 = r.nextGaussian();
                double e01 = r.nextGaussian();
                double e10 = e00 + e11 - e01 + Math.abs(r.nextGaussian()) * (trial % 3);
                cut.pairwise(u, v, e00, e01, e10, e11);
                terms.add(new double[] {u, v, e00, e01, e10, e11});
                if (r.nextInt(6) == 0) {
                    cut.forbid(u, v);
                    forbidden.add(new int[] {u, v});
                }
            }
            boolean[] x = cut.minimise();
            double best = Double.POSITIVE_INFINITY;
            for (int code = 0; code < 1 << n; code++) {
                best = Math.min(best, energy(bitsOf(code, n), unary, terms, forbidden));
            }
            assertEquals(best, energy(x, unary, terms, forbidden), 1e-9, "trial " + trial);
        }
    }

    private static double energy(boolean[] x, double[][] unary, List<double[]> terms, List<int[]> forbidden) {
        double e = 0;
        for (int v = 0; v < x.length; v++) {
            e += unary[v][x[v] ? 1 : 0];
        }
        for (double[] t : terms) {
            boolean a = x[(int) t[0]];
            boolean b = x[(int) t[1]];
            e += t[2 + (a ? 2 : 0) + (b ? 1 : 0)];
        }
        for (int[] f : forbidden) {
            e += !x[f[0]] && x[f[1]] ? Double.POSITIVE_INFINITY : 0;
        }
        return e;
    }

    /** Random submodular boundary tables (D01 + D10 >= D00 + D11 on every edge). */
    private static BlockBoundaries randomBoundaries(Random r, int b) {
        double[][] right = new double[4][b * (b - 1)];
        double[][] down = new double[4][(b - 1) * b];
        for (double[][] t : new double[][][] {right, down}) {
            for (int e = 0; e < t[0].length; e++) {
                double same0 = r.nextDouble() * 0.2;
                double same1 = r.nextDouble() * 0.2;
                t[BlockBoundaries.index(false, false)][e] = same0;
                t[BlockBoundaries.index(true, true)][e] = same1;
                t[BlockBoundaries.index(true, false)][e] = r.nextDouble();
                t[BlockBoundaries.index(false, true)][e] = Math.max(r.nextDouble(),
                        same0 + same1 - t[BlockBoundaries.index(true, false)][e]);
            }
        }
        return new BlockBoundaries(b, right, down);
    }

    private static PuzzleEnergy randomEnergy(Random r, int b, int labels, double lam, double beta, double gamma,
            double eta) {
        double[] s1 = normalised(random(r, b * b, 1), r);
        double[] s2 = normalised(random(r, b * b, 1), r);
        return new PuzzleEnergy(b, labels, s1, s2, randomBoundaries(r, b), lam, beta, gamma, eta);
    }

    private static double[] normalised(double[] v, Random r) {
        double s = 0;
        for (int i = 0; i < v.length; i++) {
            v[i] = Math.abs(v[i]) + 0.01 * r.nextDouble();
            s += v[i];
        }
        for (int i = 0; i < v.length; i++) {
            v[i] /= s;
        }
        return v;
    }

    @Test
    void puzzleEnergyMinimiserMatchesBruteForce() {
        Random r = new Random(2);
        for (int labels : new int[] {2, 3}) {
            for (int b : new int[] {2, 3}) {
                int n = b * b;
                int count = (int) Math.pow(labels, n);
                for (int trial = 0; trial < 25; trial++) {
                    // large beta and gamma so the pairwise terms matter on these tiny grids
                    PuzzleEnergy e = randomEnergy(r, b, labels, r.nextDouble(), 20 * r.nextDouble(), 2 * r.nextDouble(),
                            0.2 + r.nextDouble());
                    double best = Double.POSITIVE_INFINITY;
                    for (int code = 0; code < count; code++) {
                        best = Math.min(best, e.energy(labelsOf(code, n, labels)));
                    }
                    assertEquals(best, e.energy(e.minimise()), 1e-9, labels + " labels " + b + "x" + b + " #" + trial);
                }
            }
        }
    }

    /** With 2 labels the split energy is the paper's: unary + prior + beta' [a != b] + beta' gamma D(a, b), plus a constant. */
    @Test
    void twoLabelEnergyIsTheDataTermEnergyUpToAConstant() {
        Random r = new Random(8);
        int b = 3;
        double lam = 0.3;
        double beta = 5;
        double gamma = 0.7;
        double eta = 0.4;
        double[] s1 = normalised(random(r, b * b, 1), r);
        double[] s2 = normalised(random(r, b * b, 1), r);
        BlockBoundaries d = randomBoundaries(r, b);
        PuzzleEnergy e = new PuzzleEnergy(b, 2, s1, s2, d, lam, beta, gamma, eta);
        double potts = beta / (16.0 * b);
        Double offset = null;
        for (int code = 0; code < 1 << (b * b); code++) {
            int[] k = labelsOf(code, b * b, 2);
            double direct = 0;
            for (int p = 0; p < b * b; p++) {
                direct += k[p] == 1 ? s2[p] + eta / (b * b) * -Math.log(lam + 1e-8)
                        : s1[p] + eta / (b * b) * -Math.log(1 - lam + 1e-8);
            }
            for (int row = 0; row < b; row++) {
                for (int c = 0; c + 1 < b; c++) {
                    int e1 = k[row * b + c];
                    int e2 = k[row * b + c + 1];
                    direct += (e1 != e2 ? potts : 0)
                            + potts * gamma * d.right()[BlockBoundaries.index(e1 == 1, e2 == 1)][row * (b - 1) + c];
                }
            }
            for (int row = 0; row + 1 < b; row++) {
                for (int c = 0; c < b; c++) {
                    int e1 = k[row * b + c];
                    int e2 = k[(row + 1) * b + c];
                    direct += (e1 != e2 ? potts : 0)
                            + potts * gamma * d.down()[BlockBoundaries.index(e1 == 1, e2 == 1)][row * b + c];
                }
            }
            double diff = e.energy(k) - direct;
            if (offset == null) {
                offset = diff;
            }
            assertEquals(offset, diff, 1e-12, "labelling " + code);
        }
    }

    private static int disagreements(int[] l, int b) {
        int d = 0;
        for (int r = 0; r < b; r++) {
            for (int c = 0; c < b; c++) {
                d += c + 1 < b && l[r * b + c] != l[r * b + c + 1] ? 1 : 0;
                d += r + 1 < b && l[r * b + c] != l[(r + 1) * b + c] ? 1 : 0;
            }
        }
        return d;
    }

    @Test
    void smoothnessWeightControlsFragmentation() {
        for (int labels : new int[] {2, 3}) {
            Random r = new Random(3);
            int b = 8;
            int free = 0;
            int smooth = 0;
            int rigid = 0;
            for (int trial = 0; trial < 20; trial++) {
                long seed = r.nextLong();
                free += disagreements(randomEnergy(new Random(seed), b, labels, 0.5, 0, 0.5, 0.2).minimise(), b);
                smooth += disagreements(randomEnergy(new Random(seed), b, labels, 0.5, 1.2, 0.5, 0.2).minimise(), b);
                rigid += disagreements(randomEnergy(new Random(seed), b, labels, 0.5, 1000, 0.5, 0.2).minimise(), b);
            }
            String what = labels + " labels: free " + free + ", default " + smooth + ", huge " + rigid;
            assertTrue(free > 2 * smooth && smooth > rigid, what);
            assertEquals(0, rigid, "a huge smoothness weight leaves one label per grid; " + what);
        }
    }

    /** A batch of smooth random images: blurred noise, so boundaries are mostly submodular like natural images. */
    private static float[] images(Random r, int n, int h, int w) {
        float[] x = new float[n * h * w];
        for (int i = 0; i < n; i++) {
            double fx = 1 + 3 * r.nextDouble();
            double fy = 1 + 3 * r.nextDouble();
            double ph = 6 * r.nextDouble();
            for (int y = 0; y < h; y++) {
                for (int xx = 0; xx < w; xx++) {
                    x[(i * h + y) * w + xx] = (float) (Math.sin(fx * xx / w * 3 + ph) * Math.cos(fy * y / h * 3)
                            + 0.1 * r.nextGaussian());
                }
            }
        }
        return x;
    }

    private static float[] saliency(Random r, int n, int h, int w) {
        float[] s = new float[n * h * w];
        for (int i = 0; i < n; i++) {
            int cy = r.nextInt(h);
            int cx = r.nextInt(w);
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    double d2 = (y - cy) * (y - cy) + (x - cx) * (x - cx);
                    s[(i * h + y) * w + x] = (float) (Math.exp(-d2 / 40) + 0.05 * r.nextDouble());
                }
            }
        }
        return s;
    }

    @Test
    void maskMeanIsTheLabelWeightAndTracksLambda() {
        for (int labels : new int[] {2, 3}) {
            Random r = new Random(4);
            int n = 16;
            int h = 16;
            PuzzleMixer mixer = new PuzzleMixer(PuzzleMixer.Settings.defaults().withLabels(labels), STD);
            long[] perm = new long[n];
            for (int i = 0; i < n; i++) {
                perm[i] = (i + 1) % n;
            }
            double[] lams = {0.05, 0.3, 0.5, 0.7, 0.95};
            double[] means = new double[lams.length];
            boolean half = false;
            for (int k = 0; k < lams.length; k++) {
                for (int rep = 0; rep < 10; rep++) {
                    float[] x = images(r, n, h, h);
                    float[] s = saliency(r, n, h, h);
                    PuzzleMixer.Mix m = mixer.mix(x, 1, h, h, s, perm, lams[k], List.of(2, 4, 8).get(rep % 3));
                    for (int i = 0; i < n; i++) {
                        double mean = 0;
                        for (int p = 0; p < h * h; p++) {
                            float v = m.mask()[i * h * h + p];
                            assertTrue(v == 0f || v == 1f || labels == 3 && v == 0.5f, "mask value " + v);
                            half |= v == 0.5f;
                            mean += v / (h * h);
                        }
                        assertEquals(mean, m.lam()[i], 1e-12, "lam_i is the mask mean");
                        means[k] += mean / (10 * n);
                    }
                }
            }
            String what = labels + " labels: " + Arrays.toString(means);
            for (int k = 1; k < lams.length; k++) {
                assertTrue(means[k] > means[k - 1], "mean mask rises with lam: " + what);
            }
            assertTrue(means[0] < 0.25 && means[lams.length - 1] > 0.75, what);
            assertEquals(0.5, means[2], 0.1, what);
            assertEquals(labels == 3, half, "half-and-half blocks exactly with 3 labels");
        }
    }

    @Test
    void transportIsAPermutationThatNeverLowersKeptSaliency() {
        Random r = new Random(5);
        for (int side : new int[] {2, 3, 4, 8, 16}) {
            int n = side * side;
            int moved = 0;
            for (int trial = 0; trial < 30; trial++) {
                double[] s = new double[n];
                Arrays.setAll(s, i -> Math.exp(2.5 * r.nextGaussian())); // peaked, like input gradients
                s = normalised(s, r);
                boolean[] keep = new boolean[n];
                for (int p = 0; p < n; p++) {
                    keep[p] = r.nextDouble() < 0.2 + 0.6 * (trial % 5) / 4.0;
                }
                int[] dest = BlockTransport.plan(s, keep, side, 0.8);
                int[] sorted = dest.clone();
                Arrays.sort(sorted);
                int[] ids = new int[n];
                Arrays.setAll(ids, i -> i);
                assertArrayEquals(ids, sorted, "a permutation of the cells");
                double identity = BlockTransport.kept(s, keep, ids);
                double kept = BlockTransport.kept(s, keep, dest);
                assertTrue(kept >= identity - 1e-12, side + ": kept " + kept + " < " + identity);
                double[][] c = BlockTransport.costs(s, keep, side, 0.8);
                assertTrue(BlockTransport.cost(c, dest) <= BlockTransport.cost(c, ids) + 1e-12);
                moved += kept > identity + 1e-9 ? 1 : 0;
            }
            // on 2 x 2 a one-cell move costs eps = 0.8, more than a quarter's saliency: no move pays
            assertTrue(side < 4 || moved > 0, side + ": transport moved saliency under the mask at least once");
        }
    }

    @Test
    void transportMovesASalientCellIntoTheKeptRegion() {
        // 4 x 4 cells, all saliency in cell 0, the mask keeps only cell 5 (its diagonal neighbour)
        double[] s = new double[16];
        s[0] = 1;
        boolean[] keep = new boolean[16];
        keep[5] = true;
        int[] dest = BlockTransport.plan(s, keep, 4, 0.8);
        assertEquals(5, dest[0]);
        assertEquals(1.0, BlockTransport.kept(s, keep, dest));
        // too far for eps: moving cell 0 to cell 15 costs 0.8 * 18 / 9 = 1.6 > 1, the identity stays
        keep[5] = false;
        keep[15] = true;
        dest = BlockTransport.plan(s, keep, 4, 0.8);
        assertEquals(0, dest[0]);
    }

    @Test
    void mixedImagesAreBlockPermutationsOfTheOriginals() {
        Random r = new Random(6);
        int n = 4;
        int h = 16;
        float[] x = images(r, n, h, h);
        long[] perm = {2, 3, 1, 0};
        PuzzleMixer mixer = new PuzzleMixer(PuzzleMixer.Settings.defaults(), STD);
        for (int blocks : new int[] {2, 4, 8}) {
            PuzzleMixer.Mix m = mixer.mix(x, 1, h, h, saliency(r, n, h, h), perm, 0.5, blocks);
            int cell = Math.min(4, h / blocks);
            for (int i = 0; i < n; i++) {
                assertEquals(cells(x, i, h, cell), cells(m.own(), i, h, cell), "own image " + i + ", " + blocks);
                assertEquals(cells(x, (int) perm[i], h, cell), cells(m.partner(), i, h, cell), "partner of " + i);
            }
        }
        PuzzleMixer still = new PuzzleMixer(PuzzleMixer.Settings.defaults().withTransport(false), STD);
        PuzzleMixer.Mix m = still.mix(x, 1, h, h, saliency(r, n, h, h), perm, 0.5, 4);
        assertArrayEquals(x, m.own());
        for (int i = 0; i < n; i++) {
            assertArrayEquals(Arrays.copyOfRange(x, (int) perm[i] * h * h, (int) (perm[i] + 1) * h * h),
                    Arrays.copyOfRange(m.partner(), i * h * h, (i + 1) * h * h));
        }
    }

    /** Image i's cells of side {@code cell} as sorted strings: equal for two block permutations of one image. */
    private static List<String> cells(float[] x, int i, int h, int cell) {
        int side = h / cell;
        String[] out = new String[side * side];
        for (int p = 0; p < out.length; p++) {
            float[] v = new float[cell * cell];
            for (int y = 0; y < cell; y++) {
                for (int xx = 0; xx < cell; xx++) {
                    v[y * cell + xx] = x[(i * h + p / side * cell + y) * h + p % side * cell + xx];
                }
            }
            out[p] = Arrays.toString(v);
        }
        Arrays.sort(out);
        return List.of(out);
    }

    @Test
    void blockCountsDivideTheImage() {
        assertEquals(List.of(2, 4, 8, 16), PuzzleMixer.blockCounts(32, 32));
        assertEquals(List.of(2, 4, 7, 14), PuzzleMixer.blockCounts(28, 28));
        assertEquals(2, BlockBoundaries.neighbourhood(14, 4));
        assertEquals(1, BlockBoundaries.neighbourhood(7, 4));
        assertEquals(4, BlockBoundaries.neighbourhood(8, 4));
    }

    @Test
    void boundaryDifferencesCompareTheStripsOnEitherSide() {
        // 1 channel 4 x 4, 2 x 2 blocks, neighbourhood 1: own image constant 1, partner constant 0 except column 2
        int h = 4;
        float[] x = new float[2 * h * h];
        for (int p = 0; p < h * h; p++) {
            x[p] = 1;
            x[h * h + p] = p % h == 2 ? 3 : 0;
        }
        BlockBoundaries d = BlockBoundaries.between(x, 0, 1, 1, h, h, 2, 1, new float[] {2});
        // right boundary between columns 1 | 2 in pixel units (std 2)
        assertEquals(0, d.right()[BlockBoundaries.index(true, true)][0], 1e-12);
        assertEquals(2 * 2, d.right()[BlockBoundaries.index(true, false)][0], 1e-12); // own 1 | partner 3
        assertEquals(2 * 1, d.right()[BlockBoundaries.index(false, true)][0], 1e-12); // partner 0 | own 1
        assertEquals(2 * 3, d.right()[BlockBoundaries.index(false, false)][0], 1e-12); // partner 0 | partner 3
        // down boundary rows 1 | 2 of block column 1 (columns 2, 3): partner has 3 and 0 on both sides
        assertEquals(0, d.down()[BlockBoundaries.index(false, false)][1], 1e-12);
        assertEquals(2 * (2 + 1) / 2.0, d.down()[BlockBoundaries.index(false, true)][1], 1e-12);
    }
}
