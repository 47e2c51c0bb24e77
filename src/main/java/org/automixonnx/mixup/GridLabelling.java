package org.automixonnx.mixup;

/**
 * Exact minimiser of a two-label energy on a grid with attractive (Potts) neighbour terms, by one minimum cut:
 * {@code E(L) = sum_p cost_L(p)(p) + sum_{p~q} w_pq [L_p != L_q]}, labels 1 ("own") and 0 ("partner"), 4-neighbourhood,
 * every {@code w_pq >= 0}. Block p is a node; an edge source -> p carries the cost of label 0 (cut when p ends on
 * the sink side), p -> sink the cost of label 1, and p <-> q the weight {@code w_pq}; the source side is label 1.
 */
final class GridLabelling {
    private GridLabelling() {
    }

    /**
     * @param own     cost of label 1 per block, [rows * cols] row-major
     * @param partner cost of label 0 per block
     * @param right   w between (r, c) and (r, c + 1), [rows * (cols - 1)]
     * @param down    w between (r, c) and (r + 1, c), [(rows - 1) * cols]
     * @return label per block (true: own)
     */
    static boolean[] solve(int rows, int cols, double[] own, double[] partner, double[] right, double[] down) {
        int n = rows * cols;
        if (own.length != n || partner.length != n || right.length != rows * (cols - 1)
                || down.length != (rows - 1) * cols) {
            throw new IllegalArgumentException("cost arrays do not match a " + rows + " x " + cols + " grid");
        }
        int source = n;
        int sink = n + 1;
        MaxFlow flow = new MaxFlow(n + 2);
        for (int p = 0; p < n; p++) {
            // a constant per block does not move the minimiser: keep both terminal capacities >= 0
            double base = Math.min(own[p], partner[p]);
            flow.addEdge(source, p, partner[p] - base, 0);
            flow.addEdge(p, sink, own[p] - base, 0);
        }
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c + 1 < cols; c++) {
                double w = right[r * (cols - 1) + c];
                flow.addEdge(r * cols + c, r * cols + c + 1, w, w);
            }
        }
        for (int r = 0; r + 1 < rows; r++) {
            for (int c = 0; c < cols; c++) {
                double w = down[r * cols + c];
                flow.addEdge(r * cols + c, (r + 1) * cols + c, w, w);
            }
        }
        flow.run(source, sink);
        boolean[] side = flow.sourceSide(source);
        boolean[] labels = new boolean[n];
        System.arraycopy(side, 0, labels, 0, n);
        return labels;
    }

    /** The energy of {@code labels} under the same costs (for tests and diagnostics). */
    static double energy(int rows, int cols, double[] own, double[] partner, double[] right, double[] down,
            boolean[] labels) {
        double e = 0;
        for (int p = 0; p < rows * cols; p++) {
            e += labels[p] ? own[p] : partner[p];
        }
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c + 1 < cols; c++) {
                e += labels[r * cols + c] != labels[r * cols + c + 1] ? right[r * (cols - 1) + c] : 0;
            }
        }
        for (int r = 0; r + 1 < rows; r++) {
            for (int c = 0; c < cols; c++) {
                e += labels[r * cols + c] != labels[(r + 1) * cols + c] ? down[r * cols + c] : 0;
            }
        }
        return e;
    }
}
