package org.automixonnx.bench;

import java.util.Arrays;
import java.util.Locale;

/** Timings of the measured steps (after warm-up) and the peak memory seen. */
public record BenchResult(String label, int batchSize, int warmup, double[] stepSeconds, PeakMemory memory,
        String device, int threads, String profileFile) {
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
