package org.automixonnx.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where the training loop is, as a checkpoint stores it (metadata key {@code trainer}): the epoch, how many
 * batches of that epoch's deterministic order are done, the running sums of the epoch's loss terms, the images
 * and steps counted so far, the steps skipped for a non-finite loss, and the best primary accuracy so far. As
 * every random draw derives from (seed, epoch, batch index), this is all a resumed run needs to continue with
 * exactly the losses of an uninterrupted one.
 */
public record TrainPosition(int epoch, int batch, Map<String, Double> sums, long images, int counted, int skipped,
        double best) {
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
        n.put("epoch", epoch);
        n.put("batch", batch);
        ObjectNode s = n.putObject("loss_sums");
        sums.forEach(s::put);
        n.put("images", images);
        n.put("counted_steps", counted);
        n.put("skipped_steps", skipped);
        if (Double.isFinite(best)) {
            n.put("best", best);
        }
        return n;
    }

    /**
     * The position saved in a checkpoint's metadata; a checkpoint written before mid-epoch checkpoints existed
     * has none and resumes at the start of epoch {@code epochs_done}.
     */
    public static TrainPosition fromMeta(JsonNode meta, String primaryMetric) {
        JsonNode t = meta.path("trainer");
        double legacyBest = meta.path("best_" + primaryMetric).asDouble(Double.NEGATIVE_INFINITY);
        if (!t.isObject()) {
            return startOf(meta.path("epochs_done").asInt(), legacyBest);
        }
        Map<String, Double> sums = new LinkedHashMap<>();
        t.path("loss_sums").fields().forEachRemaining(e -> sums.put(e.getKey(), e.getValue().asDouble()));
        return new TrainPosition(t.path("epoch").asInt(), t.path("batch").asInt(), sums, t.path("images").asLong(),
                t.path("counted_steps").asInt(), t.path("skipped_steps").asInt(),
                t.has("best") ? t.get("best").asDouble() : Double.NEGATIVE_INFINITY);
    }
}
