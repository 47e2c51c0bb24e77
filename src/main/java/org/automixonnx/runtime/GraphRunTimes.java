package org.automixonnx.runtime;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Wall time spent inside ONNX Runtime, per graph, summed over every run of the graphs that report here (the step
 * runners and evaluation runners of one {@link SessionFactory}, e.g. PuzzleMix's saliency). {@code bench --method}
 * takes the difference of two {@link #totals()} around the timed steps to split an iteration into its graphs and
 * the Java side (sampling, masks, copies between graphs, the EMA).
 */
public final class GraphRunTimes {
    /** Nanoseconds by graph name, in the order the graphs first ran. */
    private final Map<String, Long> nanos = new LinkedHashMap<>();

    /** Adds one run of {@code graph} that took {@code runNanos}. */
    public synchronized void add(String graph, long runNanos) {
        nanos.merge(graph, runNanos, Long::sum);
    }

    /** The sums so far, in the order the graphs first ran. */
    public synchronized Map<String, Long> totals() {
        return new LinkedHashMap<>(nanos);
    }
}
