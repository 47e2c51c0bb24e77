package org.automixonnx.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;
import org.automixonnx.runtime.CheckpointMeta;

/**
 * Where the training loop is, as a checkpoint stores it (metadata key {@code trainer}): the epoch, how many
 * batches of that epoch's deterministic order are done, the running sums of the epoch's loss terms, the images
 * and steps counted so far, the steps skipped for a non-finite loss, and the best primary accuracy so far. As
 * every random draw derives from (seed, epoch, batch index), this is all a resumed run needs to continue with
 * exactly the losses of an uninterrupted one.
 */
public record TrainPosition(int epoch, int batch, Map<String, Double> sums, long images, int counted, int skipped,
        double best) {
    private static final String EPOCH = "epoch";
    private static final String BATCH = "batch";
    private static final String LOSS_SUMS = "loss_sums";
    private static final String IMAGES = "images";
    private static final String COUNTED_STEPS = "counted_steps";
    private static final String SKIPPED_STEPS = "skipped_steps";
    private static final String BEST = "best";

    public TrainPosition {
        sums = new LinkedHashMap<>(sums);
    }

    /** The start of {@code epoch} with nothing accumulated yet. */
    public static TrainPosition startOf(int epoch, double best) {
        return new TrainPosition(epoch, 0, Map.of(), 0, 0, 0, best);
    }

    /** As stored in checkpoint metadata (doubles round-trip exactly through JSON). */
    public ObjectNode toJson() {
        ObjectNode n = new ObjectMapper().createObjectNode();
        n.put(EPOCH, epoch);
        n.put(BATCH, batch);
        ObjectNode s = n.putObject(LOSS_SUMS);
        sums.forEach(s::put);
        n.put(IMAGES, images);
        n.put(COUNTED_STEPS, counted);
        n.put(SKIPPED_STEPS, skipped);
        if (Double.isFinite(best)) {
            n.put(BEST, best);
        }
        return n;
    }

    /**
     * The position saved in a checkpoint's metadata; a checkpoint written before mid-epoch checkpoints existed
     * has none and resumes at the start of epoch {@code epochs_done}.
     */
    public static TrainPosition fromMeta(CheckpointMeta meta, String primaryMetric) {
        JsonNode t = meta.training().trainer();
        if (t == null || !t.isObject()) {
            return startOf(meta.training().epochsDone(),
                    meta.training().best().getOrDefault(primaryMetric, Double.NEGATIVE_INFINITY));
        }
        Map<String, Double> sums = new LinkedHashMap<>();
        t.path(LOSS_SUMS).fields().forEachRemaining(e -> sums.put(e.getKey(), e.getValue().asDouble()));
        return new TrainPosition(t.path(EPOCH).asInt(), t.path(BATCH).asInt(), sums, t.path(IMAGES).asLong(),
                t.path(COUNTED_STEPS).asInt(), t.path(SKIPPED_STEPS).asInt(),
                t.has(BEST) ? t.get(BEST).asDouble() : Double.NEGATIVE_INFINITY);
    }
}
