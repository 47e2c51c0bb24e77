package org.automixonnx.mixup;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * PuzzleMix's transport step for one image on a T x T grid of cells: move its salient cells to where the mask keeps
 * the image, at a small price for distance. A plan is a permutation of cells, {@code dest[src]}; its cost is
 * {@code sum_src eps C(src, dest[src]) - s(src) z(dest[src])}, s the image's saliency per cell, z the mask
 * (1 where the image is kept), C the squared grid distance divided by (T - 1)^2.
 *
 * <p>The solver is the reference's iterative approximation (T rounds: every cell picks its cheapest destination,
 * among cells picking the same destination the cheapest wins, each loser's cost for the destination it lost rises by
 * 1), then, so that the result is a true permutation (the reference drops losing cells and leaves unclaimed
 * destinations blank), losers take the free destinations greedily, most salient first. Last, a plan costing more
 * than the identity (cost {@code -sum s z}) is replaced by the identity: since C >= 0 and C(p, p) = 0, a plan that
 * is not worse than the identity never keeps less saliency under the mask.
 */
final class BlockTransport {
    private BlockTransport() {
    }

    /** Cell {@code dest[src]} receives cell {@code src}. */
    static int[] plan(double[] saliency, boolean[] keep, int side, double eps) {
        int n = side * side;
        if (saliency.length != n || keep.length != n) {
            throw new IllegalArgumentException("transport needs " + n + " cells");
        }
        double[][] cost = costs(saliency, keep, side, eps);
        double[][] work = new double[n][];
        for (int i = 0; i < n; i++) {
            work[i] = cost[i].clone();
        }
        int[] winnerOf = new int[n];
        int[] choice = new int[n];
        boolean[] changed = new boolean[n];
        Arrays.fill(changed, true);
        for (int round = 0; round < side; round++) {
            for (int src = 0; src < n; src++) {
                if (changed[src]) { // only a loser's row changed since its last choice
                    choice[src] = argmin(work[src]);
                    changed[src] = false;
                }
            }
            Arrays.fill(winnerOf, -1);
            for (int src = 0; src < n; src++) {
                int d = choice[src];
                if (winnerOf[d] < 0 || work[src][d] < work[winnerOf[d]][d]) {
                    winnerOf[d] = src;
                }
            }
            if (round + 1 < side) {
                for (int src = 0; src < n; src++) {
                    if (winnerOf[choice[src]] != src) {
                        work[src][choice[src]] += 1;
                        changed[src] = true;
                    }
                }
            }
        }
        int[] dest = new int[n];
        Arrays.fill(dest, -1);
        for (int d = 0; d < n; d++) {
            if (winnerOf[d] >= 0) {
                dest[winnerOf[d]] = d;
            }
        }
        complete(dest, saliency, cost);
        int[] identity = new int[n];
        Arrays.setAll(identity, i -> i);
        return cost(cost, dest) <= cost(cost, identity) ? dest : identity;
    }

    /** Unplaced cells, most salient first, each take the free destination that costs them least. */
    private static void complete(int[] dest, double[] saliency, double[][] cost) {
        int n = dest.length;
        boolean[] taken = new boolean[n];
        List<Integer> unplaced = new ArrayList<>();
        for (int src = 0; src < n; src++) {
            if (dest[src] >= 0) {
                taken[dest[src]] = true;
            } else {
                unplaced.add(src);
            }
        }
        unplaced.sort(Comparator.comparingDouble((Integer s) -> -saliency[s]).thenComparingInt(s -> s));
        for (int src : unplaced) {
            int best = -1;
            for (int d = 0; d < n; d++) {
                if (!taken[d] && (best < 0 || cost[src][d] < cost[src][best])) {
                    best = d;
                }
            }
            dest[src] = best;
            taken[best] = true;
        }
    }

    static double[][] costs(double[] saliency, boolean[] keep, int side, double eps) {
        int n = side * side;
        double norm = side > 1 ? (side - 1) * (side - 1) : 1;
        double[][] c = new double[n][n];
        for (int src = 0; src < n; src++) {
            for (int d = 0; d < n; d++) {
                int dy = src / side - d / side;
                int dx = src % side - d % side;
                c[src][d] = eps * (dy * dy + dx * dx) / norm - (keep[d] ? saliency[src] : 0);
            }
        }
        return c;
    }

    static double cost(double[][] cost, int[] dest) {
        double s = 0;
        for (int src = 0; src < dest.length; src++) {
            s += cost[src][dest[src]];
        }
        return s;
    }

    /** Saliency that lands where the mask keeps the image. */
    static double kept(double[] saliency, boolean[] keep, int[] dest) {
        double s = 0;
        for (int src = 0; src < dest.length; src++) {
            s += keep[dest[src]] ? saliency[src] : 0;
        }
        return s;
    }

    private static int argmin(double[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] < v[best]) {
                best = i;
            }
        }
        return best;
    }

    /**
     * Writes image {@code from} of {@code images} (NCHW) into slot {@code to} of {@code out} with its cells moved:
     * cell src goes to cell {@code dest[src]} (cells of {@code height / side} x {@code width / side} pixels).
     */
    static void move(float[] images, int from, float[] out, int to, int channels, int height, int width, int side,
            int[] dest) {
        int ch = height / side;
        int cw = width / side;
        int plane = height * width;
        for (int src = 0; src < dest.length; src++) {
            int sy = src / side * ch;
            int sx = src % side * cw;
            int dy = dest[src] / side * ch;
            int dx = dest[src] % side * cw;
            for (int c = 0; c < channels; c++) {
                int in = (from * channels + c) * plane;
                int o = (to * channels + c) * plane;
                for (int y = 0; y < ch; y++) {
                    System.arraycopy(images, in + (sy + y) * width + sx, out, o + (dy + y) * width + dx, cw);
                }
            }
        }
    }
}
