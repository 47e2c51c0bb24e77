package org.automixonnx.bench;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Timings of the measured steps (after warm-up), the mean time per step spent in each graph's ORT runs (the rest of
 * a step is the Java side: sampling, masks, copies, EMA) and the peak memory seen.
 */
public record BenchResult(String label, int batchSize, int warmup, double[] stepSeconds,
        Map<String, Double> graphSecondsPerStep, PeakMemory memory, String device, int threads, String profileFile) {
    public BenchResult {
        graphSecondsPerStep = Collections.unmodifiableMap(new LinkedHashMap<>(graphSecondsPerStep));
    }

    public double medianStepSeconds() {
        double[] s = stepSeconds.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
    }

    /** Throughput of the median step. */
    public double medianImagesPerSecond() {
        return batchSize / medianStepSeconds();
    }

    /** The result as a small two-column table. */
    public String table() {
        double[] s = stepSeconds.clone();
        Arrays.sort(s);
        StringBuilder sb = new StringBuilder();
        row(sb, "workload", label);
        row(sb, "device", device + ", " + threads + " intra-op threads");
        row(sb, "batch size", Integer.toString(batchSize));
        row(sb, "steps timed", s.length + " (after " + warmup + " warm-up)");
        row(sb, "step time", String.format(Locale.ROOT, "median %.4f s, min %.4f s, max %.4f s",
                medianStepSeconds(), s[0], s[s.length - 1]));
        if (!graphSecondsPerStep.isEmpty()) {
            double mean = Arrays.stream(s).average().orElse(0);
            double inGraphs = 0;
            for (Map.Entry<String, Double> g : graphSecondsPerStep.entrySet()) {
                row(sb, "  " + g.getKey(), String.format(Locale.ROOT, "mean %.4f s per step", g.getValue()));
                inGraphs += g.getValue();
            }
            row(sb, "  Java side", String.format(Locale.ROOT, "mean %.4f s per step (the rest of the mean step, "
                    + "%.4f s)", mean - inGraphs, mean));
        }
        row(sb, "images/s (median)", String.format(Locale.ROOT, "%.1f", medianImagesPerSecond()));
        row(sb, "peak JVM heap", megabytes(memory.heapBytes()));
        row(sb, "peak RSS (VmHWM)", megabytes(memory.rssBytes()));
        return sb.toString();
    }

    private static void row(StringBuilder sb, String key, String value) {
        sb.append(String.format(Locale.ROOT, "%-18s %s%n", key, value));
    }

    private static String megabytes(long bytes) {
        return bytes < 0 ? "n/a" : String.format(Locale.ROOT, "%.0f MB", bytes / (1024.0 * 1024.0));
    }
}
