package org.automixonnx.train;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one epoch produced: its number, the mean over its iterations of each value a step reports (loss terms,
 * train top-1, EMA momentum, AutoMix's mask statistics), schedule values (lr, skipped steps), evaluation
 * accuracies (e.g. {@code top1_one_q}) and speed. Kept as ordered maps so metrics.jsonl and summary.csv list
 * fields in a stable order.
 */
public record EpochRecord(int epoch, Map<String, Double> losses, Map<String, Double> schedule,
        Map<String, Double> accuracy, double imagesPerSecond, double wallSeconds) {
    /** The metrics.jsonl key of the epoch's wall time (training and its per-epoch evaluation), seconds. */
    public static final String WALL_SECONDS = "wall_s";

    public EpochRecord {
        losses = new LinkedHashMap<>(losses);
        schedule = new LinkedHashMap<>(schedule);
        accuracy = new LinkedHashMap<>(accuracy);
    }

    /** All fields flattened into one ordered map (the JSONL object / CSV row). */
    public Map<String, Object> flat() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("epoch", epoch);
        losses.forEach(m::put);
        schedule.forEach(m::put);
        accuracy.forEach(m::put);
        m.put("images_per_s", imagesPerSecond);
        m.put(WALL_SECONDS, wallSeconds);
        return m;
    }
}
