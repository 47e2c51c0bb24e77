package org.automixonnx.mixup;

/**
 * PuzzleMix's labelling energy for one pair (sample i keeps its block: label 1 "own"; or takes its partner j's:
 * label 0) on a B x B block grid, with its costs as in Kim et al. 2020 for two labels:
 * <ul>
 * <li>unary: choosing own at block p discards the partner's saliency there, {@code s_j(p)}, choosing the partner
 * discards {@code s_i(p)} (saliencies per block, each summing to 1 over the grid);</li>
 * <li>prior: {@code (eta / B^2) (-log lam)} for own and {@code (eta / B^2) (-log(1 - lam))} for the partner, lam the
 * ratio drawn for the batch;</li>
 * <li>smoothness, per pair of neighbouring blocks p, q with labels a, b: {@code beta' [a != b] + beta' gamma
 * D_pq(a, b)}, {@code beta' = beta / (16 B)} (the reference code's normalisation), D the mean absolute pixel
 * difference across the p|q boundary between the image chosen at p and the one chosen at q
 * ({@link BlockBoundaries}).</li>
 * </ul>
 * The data term D is a general 2 x 2 table; {@link #minimise()} splits it into unaries plus a Potts weight
 * {@code (D01 + D10 - D00 - D11) / 2} (the reference's split) and solves exactly by min-cut. A negative total Potts
 * weight (a non-submodular edge, rare: it needs a boundary where mixing is smoother than either image) is clamped
 * to 0, so then the labelling minimises a slightly different energy.
 */
final class PuzzleEnergy {
    private final int blocks;
    private final double[] own;
    private final double[] partner;
    private final BlockBoundaries d;
    private final double potts;
    private final double gammaPotts;

    /**
     * @param ownSaliency     s_i per block, [B * B] row-major, summing to 1
     * @param partnerSaliency s_j per block
     */
    PuzzleEnergy(int blocks, double[] ownSaliency, double[] partnerSaliency, BlockBoundaries boundaries, double lam,
            double beta, double gamma, double eta) {
        int n = blocks * blocks;
        if (ownSaliency.length != n || partnerSaliency.length != n || boundaries.blocks() != blocks) {
            throw new IllegalArgumentException("costs do not match a " + blocks + " x " + blocks + " grid");
        }
        this.blocks = blocks;
        this.d = boundaries;
        this.potts = beta / (16.0 * blocks);
        this.gammaPotts = potts * gamma;
        double priorOwn = eta / n * -Math.log(lam + 1e-8);
        double priorPartner = eta / n * -Math.log(1 - lam + 1e-8);
        this.own = new double[n];
        this.partner = new double[n];
        for (int p = 0; p < n; p++) {
            own[p] = partnerSaliency[p] + priorOwn;
            partner[p] = ownSaliency[p] + priorPartner;
        }
    }

    int blocks() {
        return blocks;
    }

    /** The energy of a labelling (true: own), with the data term as it is (no clamping). */
    double energy(boolean[] labels) {
        double e = 0;
        for (int p = 0; p < labels.length; p++) {
            e += labels[p] ? own[p] : partner[p];
        }
        int b = blocks;
        for (int r = 0; r < b; r++) {
            for (int c = 0; c + 1 < b; c++) {
                e += pair(labels[r * b + c], labels[r * b + c + 1], d.right(), r * (b - 1) + c);
            }
        }
        for (int r = 0; r + 1 < b; r++) {
            for (int c = 0; c < b; c++) {
                e += pair(labels[r * b + c], labels[(r + 1) * b + c], d.down(), r * b + c);
            }
        }
        return e;
    }

    private double pair(boolean a, boolean b, double[][] table, int edge) {
        return (a != b ? potts : 0) + gammaPotts * table[BlockBoundaries.index(a, b)][edge];
    }

    /** The labelling of least energy (exact when every edge is submodular; see the class comment). */
    boolean[] minimise() {
        int b = blocks;
        double[] u1 = own.clone();
        double[] u0 = partner.clone();
        double[] right = new double[b * (b - 1)];
        double[] down = new double[(b - 1) * b];
        for (int r = 0; r < b; r++) {
            for (int c = 0; c + 1 < b; c++) {
                right[r * (b - 1) + c] = split(d.right(), r * (b - 1) + c, r * b + c, r * b + c + 1, u1, u0);
            }
        }
        for (int r = 0; r + 1 < b; r++) {
            for (int c = 0; c < b; c++) {
                down[r * b + c] = split(d.down(), r * b + c, r * b + c, (r + 1) * b + c, u1, u0);
            }
        }
        return GridLabelling.solve(b, b, u1, u0, right, down);
    }

    /**
     * Moves the data term of one edge p|q into the unaries of p and q ({@code (D(a,0) + D(a,1)) / 2} to p's label a,
     * {@code (D(0,b) + D(1,b)) / 2} to q's label b) and returns the remaining Potts weight, clamped at 0.
     */
    private double split(double[][] t, int edge, int p, int q, double[] u1, double[] u0) {
        double d11 = t[BlockBoundaries.index(true, true)][edge];
        double d10 = t[BlockBoundaries.index(true, false)][edge];
        double d01 = t[BlockBoundaries.index(false, true)][edge];
        double d00 = t[BlockBoundaries.index(false, false)][edge];
        u1[p] += gammaPotts * (d10 + d11) / 2;
        u0[p] += gammaPotts * (d00 + d01) / 2;
        u1[q] += gammaPotts * (d01 + d11) / 2;
        u0[q] += gammaPotts * (d00 + d10) / 2;
        return Math.max(0, potts + gammaPotts * (d01 + d10 - d00 - d11) / 2);
    }
}
