package org.automixonnx.mixup;

/**
 * PuzzleMix's labelling energy for one pair (sample i, partner j) on a B x B block grid (Kim et al. 2020, and the
 * reference code's normalisation). A block's label k in 0..L-1 (L = 2 or 3) gives sample i's own weight there,
 * {@code m = k / (L - 1)} (L = 3 adds the half-and-half block). Costs:
 * <ul>
 * <li>unary: {@code m s_j(p) + (1 - m) s_i(p)}, the saliency the block discards (saliencies per block, each summing
 * to 1 over the grid);</li>
 * <li>prior: {@code eta / B^2} times {@code -log} of the binomial probability of the label under the batch's ratio
 * lam: {@code (1 - lam), lam} for L = 2, {@code (1 - lam)^2, 2 lam (1 - lam), lam^2} for L = 3;</li>
 * <li>smoothness between neighbouring blocks p, q: {@code beta' (m_p - m_q)^2} plus {@code beta' gamma D_pq}, with
 * {@code beta' = beta / (16 B)} and D the mean absolute pixel difference across the boundary between the image
 * chosen at p and the one chosen at q ({@link BlockBoundaries}). D is a 2 x 2 table over pure labels; as in the
 * reference it is split into unaries ({@code (D(a,0) + D(a,1)) / 2} to p's own/partner cost, likewise for q; mixed
 * labels take the m-weighted average) and a weight {@code beta' gamma (D01 + D10 - D00 - D11) / 2} added to the
 * {@code (m_p - m_q)^2} term. For L = 2 that is exactly the D term up to a constant.</li>
 * </ul>
 * {@link #minimise()} is exact (one min-cut, {@link SubmodularCut}; for L = 3 each block is two ordered binary
 * variables {@code [k >= 1] >= [k >= 2]}, and {@code (m_p - m_q)^2} is a sum of submodular terms of them). An edge
 * whose total weight is negative (mixing there is smoother than either image, rare) is clamped to 0.
 */
final class PuzzleEnergy {
    private final int blocks;
    private final int labels;
    private final double[] own;
    private final double[] partner;
    private final double[] prior;
    private final double[] right;
    private final double[] down;

    /**
     * @param ownSaliency     s_i per block, [B * B] row-major, summing to 1
     * @param partnerSaliency s_j per block
     * @param labels          2 or 3
     */
    PuzzleEnergy(int blocks, int labels, double[] ownSaliency, double[] partnerSaliency, BlockBoundaries d,
            double lam, double beta, double gamma, double eta) {
        int n = blocks * blocks;
        if (ownSaliency.length != n || partnerSaliency.length != n || d.blocks() != blocks) {
            throw new IllegalArgumentException("costs do not match a " + blocks + " x " + blocks + " grid");
        }
        if (labels != 2 && labels != 3) {
            throw new IllegalArgumentException("PuzzleMix labels: 2 or 3, got " + labels);
        }
        this.blocks = blocks;
        this.labels = labels;
        this.own = partnerSaliency.clone();
        this.partner = ownSaliency.clone();
        double[] p = labels == 2 ? new double[] {1 - lam, lam}
                : new double[] {(1 - lam) * (1 - lam), 2 * lam * (1 - lam), lam * lam};
        this.prior = new double[labels];
        for (int k = 0; k < labels; k++) {
            prior[k] = eta / n * -Math.log(p[k] + 1e-8);
        }
        double potts = beta / (16.0 * blocks);
        double g = potts * gamma;
        this.right = new double[blocks * (blocks - 1)];
        this.down = new double[(blocks - 1) * blocks];
        for (int r = 0; r < blocks; r++) {
            for (int c = 0; c + 1 < blocks; c++) {
                int e = r * (blocks - 1) + c;
                right[e] = potts + split(d.right(), e, r * blocks + c, r * blocks + c + 1, g);
            }
        }
        for (int r = 0; r + 1 < blocks; r++) {
            for (int c = 0; c < blocks; c++) {
                int e = r * blocks + c;
                down[e] = potts + split(d.down(), e, e, e + blocks, g);
            }
        }
    }

    /** Moves g D of edge p|q into the unaries of p and q; returns the rest, {@code g (D01 + D10 - D00 - D11) / 2}. */
    private double split(double[][] t, int edge, int p, int q, double g) {
        double d11 = t[BlockBoundaries.index(true, true)][edge];
        double d10 = t[BlockBoundaries.index(true, false)][edge];
        double d01 = t[BlockBoundaries.index(false, true)][edge];
        double d00 = t[BlockBoundaries.index(false, false)][edge];
        own[p] += g * (d10 + d11) / 2;
        partner[p] += g * (d00 + d01) / 2;
        own[q] += g * (d01 + d11) / 2;
        partner[q] += g * (d00 + d10) / 2;
        return g * (d01 + d10 - d00 - d11) / 2;
    }

    int blocks() {
        return blocks;
    }

    int labels() {
        return labels;
    }

    /** Sample i's own weight under label k. */
    double weight(int k) {
        return k / (double) (labels - 1);
    }

    private double unary(int p, int k) {
        double m = weight(k);
        return m * own[p] + (1 - m) * partner[p] + prior[k];
    }

    /** The energy of a labelling (weights as they are, not clamped). */
    double energy(int[] k) {
        double e = 0;
        for (int p = 0; p < k.length; p++) {
            e += unary(p, k[p]);
        }
        int b = blocks;
        for (int r = 0; r < b; r++) {
            for (int c = 0; c + 1 < b; c++) {
                e += right[r * (b - 1) + c] * square(weight(k[r * b + c]) - weight(k[r * b + c + 1]));
            }
        }
        for (int r = 0; r + 1 < b; r++) {
            for (int c = 0; c < b; c++) {
                e += down[r * b + c] * square(weight(k[r * b + c]) - weight(k[(r + 1) * b + c]));
            }
        }
        return e;
    }

    private static double square(double v) {
        return v * v;
    }

    /** A labelling of least energy (exact when no edge weight is negative; see the class comment). */
    int[] minimise() {
        int b = blocks;
        int n = b * b;
        int per = labels - 1;
        SubmodularCut cut = new SubmodularCut(n * per);
        for (int p = 0; p < n; p++) {
            // U(k) = U(0) + sum_{t <= k} (U(t) - U(t - 1)), variable t - 1 of block p being [k >= t]
            for (int t = 1; t < labels; t++) {
                cut.unary(p * per + t - 1, 0, unary(p, t) - unary(p, t - 1));
            }
            if (labels == 3) {
                cut.forbid(p * per, p * per + 1);
            }
        }
        for (int r = 0; r < b; r++) {
            for (int c = 0; c + 1 < b; c++) {
                smooth(cut, r * b + c, r * b + c + 1, Math.max(0, right[r * (b - 1) + c]));
            }
        }
        for (int r = 0; r + 1 < b; r++) {
            for (int c = 0; c < b; c++) {
                smooth(cut, r * b + c, (r + 1) * b + c, Math.max(0, down[r * b + c]));
            }
        }
        boolean[] x = cut.minimise();
        int[] k = new int[n];
        for (int p = 0; p < n; p++) {
            for (int t = 0; t < per; t++) {
                k[p] += x[p * per + t] ? 1 : 0;
            }
        }
        return k;
    }

    /**
     * {@code w (m_p - m_q)^2}. L = 2: a Potts term. L = 3 with {@code x1 = [k >= 1] >= x2 = [k >= 2]}, m = (x1 + x2) / 2:
     * {@code (w / 4) ([x1p != x1q] + [x2p != x2q] + 2 x2p + 2 x2q - 2 x1p x2q - 2 x1q x2p)}.
     */
    private void smooth(SubmodularCut cut, int p, int q, double w) {
        if (labels == 2) {
            cut.pairwise(p, q, 0, w, w, 0);
            return;
        }
        int p1 = 2 * p;
        int p2 = 2 * p + 1;
        int q1 = 2 * q;
        int q2 = 2 * q + 1;
        cut.pairwise(p1, q1, 0, w / 4, w / 4, 0);
        cut.pairwise(p2, q2, 0, w / 4, w / 4, 0);
        cut.unary(p2, 0, w / 2);
        cut.unary(q2, 0, w / 2);
        cut.pairwise(p1, q2, 0, 0, 0, -w / 2);
        cut.pairwise(q1, p2, 0, 0, 0, -w / 2);
    }
}
