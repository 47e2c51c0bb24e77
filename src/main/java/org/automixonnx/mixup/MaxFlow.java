package org.automixonnx.mixup;

import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * Maximum s-t flow (Dinic: BFS levels, then blocking flows by DFS) on a small directed graph with real
 * capacities, and the minimum cut it certifies. Sized for PuzzleMix's block grids (at most a few hundred nodes).
 */
final class MaxFlow {
    private static final double EPS = 1e-12;

    private final int nodes;
    private int[] head;
    private int[] next = new int[16];
    private int[] to = new int[16];
    private double[] residual = new double[16];
    private int edges;
    private int[] level;
    private int[] cursor;

    MaxFlow(int nodes) {
        this.nodes = nodes;
        this.head = new int[nodes];
        Arrays.fill(head, -1);
    }

    /** An edge u -> v of capacity {@code cap} and its reverse v -> u of capacity {@code reverseCap} (both >= 0). */
    void addEdge(int u, int v, double cap, double reverseCap) {
        if (!(cap >= 0) || !(reverseCap >= 0)) {
            throw new IllegalArgumentException("capacities must be >= 0, got " + cap + ", " + reverseCap);
        }
        half(u, v, cap);
        half(v, u, reverseCap);
    }

    private void half(int u, int v, double cap) {
        if (edges == to.length) {
            next = Arrays.copyOf(next, 2 * edges);
            to = Arrays.copyOf(to, 2 * edges);
            residual = Arrays.copyOf(residual, 2 * edges);
        }
        to[edges] = v;
        residual[edges] = cap;
        next[edges] = head[u];
        head[u] = edges++;
    }

    /** Pushes the maximum flow from {@code s} to {@code t}; returns its value. */
    double run(int s, int t) {
        double flow = 0;
        level = new int[nodes];
        cursor = new int[nodes];
        while (levels(s, t)) {
            System.arraycopy(head, 0, cursor, 0, nodes);
            double pushed;
            while ((pushed = push(s, t, Double.POSITIVE_INFINITY)) > EPS) {
                flow += pushed;
            }
        }
        return flow;
    }

    private boolean levels(int s, int t) {
        Arrays.fill(level, -1);
        level[s] = 0;
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        queue.add(s);
        while (!queue.isEmpty()) {
            int u = queue.poll();
            for (int e = head[u]; e >= 0; e = next[e]) {
                if (residual[e] > EPS && level[to[e]] < 0) {
                    level[to[e]] = level[u] + 1;
                    queue.add(to[e]);
                }
            }
        }
        return level[t] >= 0;
    }

    private double push(int u, int t, double limit) {
        if (u == t) {
            return limit;
        }
        for (; cursor[u] >= 0; cursor[u] = next[cursor[u]]) {
            int e = cursor[u];
            int v = to[e];
            if (residual[e] > EPS && level[v] == level[u] + 1) {
                double d = push(v, t, Math.min(limit, residual[e]));
                if (d > EPS) {
                    residual[e] -= d;
                    residual[e ^ 1] += d;
                    return d;
                }
            }
        }
        return 0;
    }

    /** After {@link #run}: which nodes are on the source side of a minimum cut (reachable from s in the residual graph). */
    boolean[] sourceSide(int s) {
        boolean[] seen = new boolean[nodes];
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        seen[s] = true;
        queue.add(s);
        while (!queue.isEmpty()) {
            int u = queue.poll();
            for (int e = head[u]; e >= 0; e = next[e]) {
                if (residual[e] > EPS && !seen[to[e]]) {
                    seen[to[e]] = true;
                    queue.add(to[e]);
                }
            }
        }
        return seen;
    }
}
