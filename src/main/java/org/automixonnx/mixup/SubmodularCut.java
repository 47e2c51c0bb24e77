package org.automixonnx.mixup;

import java.util.ArrayList;
import java.util.List;

/**
 * Exact minimiser of an energy of binary variables with unary and submodular pairwise terms, by one minimum cut
 * (Kolmogorov and Zabih 2004). A pairwise term {@code theta(x_u, x_v)} with values e00, e01, e10, e11 is
 * submodular when {@code e01 + e10 >= e00 + e11}; it is split into unaries plus {@code (e01 + e10 - e00 - e11)
 * [x_u = 0, x_v = 1]}, an edge u -> v. A variable is 1 when it ends on the sink side.
 */
final class SubmodularCut {
    private static final double TOLERANCE = 1e-12;

    private final int vars;
    /** Cost of x_v = 1 minus cost of x_v = 0, accumulated. */
    private final double[] linear;
    private final MaxFlow flow;
    private final int source;
    private final int sink;
    private double finite;
    private final List<int[]> forbidden = new ArrayList<>();

    SubmodularCut(int vars) {
        this.vars = vars;
        this.linear = new double[vars];
        this.source = vars;
        this.sink = vars + 1;
        this.flow = new MaxFlow(vars + 2);
    }

    void unary(int v, double cost0, double cost1) {
        linear[v] += cost1 - cost0;
    }

    /** Adds {@code theta(x_u, x_v)}; fails unless it is submodular (up to rounding). */
    void pairwise(int u, int v, double e00, double e01, double e10, double e11) {
        double w = e01 + e10 - e00 - e11;
        if (w < -TOLERANCE * (1 + Math.abs(e01) + Math.abs(e10))) {
            throw new IllegalArgumentException("pairwise term is not submodular: " + e00 + " " + e01 + " " + e10 + " "
                    + e11);
        }
        linear[u] += e10 - e00;
        linear[v] += e11 - e10;
        if (w > 0) {
            flow.addEdge(u, v, w, 0);
            finite += w;
        }
    }

    /** Forbids {@code x_u = 0, x_v = 1} (i.e. requires x_v <= x_u). */
    void forbid(int u, int v) {
        forbidden.add(new int[] {u, v});
    }

    /** An assignment of least energy; call once, after adding every term. */
    boolean[] minimise() {
        for (int v = 0; v < vars; v++) {
            finite += Math.abs(linear[v]);
            if (linear[v] > 0) {
                flow.addEdge(source, v, linear[v], 0);
            } else if (linear[v] < 0) {
                flow.addEdge(v, sink, -linear[v], 0);
            }
        }
        double infinite = 2 * finite + 1;
        for (int[] f : forbidden) {
            flow.addEdge(f[0], f[1], infinite, 0);
        }
        flow.run(source, sink);
        boolean[] sourceSide = flow.sourceSide(source);
        boolean[] x = new boolean[vars];
        for (int v = 0; v < vars; v++) {
            x[v] = !sourceSide[v];
        }
        return x;
    }
}
