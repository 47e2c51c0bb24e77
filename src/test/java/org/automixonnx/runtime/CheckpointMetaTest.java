package org.automixonnx.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The checkpoint metadata record: its JSON round trip, and checkpoints written before it existed. */
class CheckpointMetaTest {
    static final Path FILE = Path.of("run", "last.state");
    static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The metadata object exactly as {@code Checkpoints.save} wrote it before this record: keys in that order, the
     * normalisation values as float nodes.
     */
    static ObjectNode writtenBeforeTheRecord() {
        ObjectNode meta = JSON.createObjectNode();
        meta.put("model_file", "model.onnx");
        meta.put("feature_tap", "/layer3/Relu_output_0");
        meta.put("channels", 1L);
        meta.put("image_height", 28L);
        meta.put("image_width", 28L);
        meta.put("image_size", 28L);
        meta.put("classes", 3);
        meta.putArray("class_names").add("T-shirt/top").add("Trouser").add("Pullover");
        meta.putArray("mean").add(0.2860f);
        meta.putArray("std").add(0.3530f);
        meta.put("method", "automix");
        meta.put("two_heads", true);
        meta.put("dataset", "fashion-mnist");
        meta.put("epochs_done", 2);
        meta.put("config_sha256", "ab12");
        meta.put("best_top1_one_k", 0.8125);
        meta.putObject("accuracy").put("top1_one_q", 0.75).put("top1_one_k", 0.8125);
        ObjectNode trainer = meta.putObject("trainer");
        trainer.put("epoch", 2).put("batch", 0);
        return meta;
    }

    @Test
    void readsACheckpointWrittenBeforeTheRecordAndWritesTheSameJson() throws Exception {
        ObjectNode old = writtenBeforeTheRecord();
        String text = JSON.writeValueAsString(old);
        CheckpointMeta meta = CheckpointMeta.fromJson(JSON.readTree(text), FILE);
        assertEquals(new CheckpointMeta.Architecture(null, "model.onnx", "/layer3/Relu_output_0", true),
                meta.architecture());
        assertArrayEquals(new long[] {1, 28, 28}, meta.data().imageShape());
        assertEquals(3, meta.data().classes());
        assertEquals(List.of("T-shirt/top", "Trouser", "Pullover"), meta.data().classNames());
        assertEquals(List.of(0.286), meta.data().mean(), "the decimal the file holds");
        assertEquals("fashion-mnist", meta.data().dataset());
        assertEquals("automix", meta.training().method());
        assertEquals(2, meta.training().epochsDone());
        assertEquals(Map.of("top1_one_k", 0.8125), meta.training().best());
        assertEquals(List.of("top1_one_q", "top1_one_k"), List.copyOf(meta.training().accuracy().keySet()));
        assertEquals(old.get("trainer"), meta.training().trainer());
        assertEquals(text, JSON.writeValueAsString(meta.toJson()), "same keys, order, values");
    }

    @Test
    void roundTripsAZooCheckpointThroughItsText() throws Exception {
        Map<String, Double> accuracy = new LinkedHashMap<>();
        accuracy.put("top1", 0.5);
        CheckpointMeta meta = new CheckpointMeta(
                new CheckpointMeta.Architecture("resnet18-cifar-w0.25", null, null, false),
                new CheckpointMeta.Data("imagefolder", 3, 24, 32, 2, List.of("cat", "dog"),
                        CheckpointMeta.Data.decimals(new float[] {0.4914f, 0.4822f, 0.4465f}),
                        CheckpointMeta.Data.decimals(new float[] {0.247f, 0.2435f, 0.2616f}), 120),
                new CheckpointMeta.Training("mixup", 7, "cafe", Map.of("top1", 0.625), accuracy,
                        JSON.createObjectNode().put("epoch", 7)));
        ObjectNode json = meta.toJson();
        assertTrue(!json.has("image_size") && json.get("image_height").asInt() == 24, "not square: " + json);
        assertEquals("[0.4914,0.4822,0.4465]", json.get("mean").toString());
        assertEquals(meta, CheckpointMeta.fromJson(JSON.readTree(JSON.writeValueAsString(json)), FILE));
    }

    /** Export's own test checkpoints carry only the model, the image shape and the classes. */
    @Test
    void optionalKeysMayBeMissingAndRequiredOnesAreNamed() {
        ObjectNode minimal = JSON.createObjectNode().put("architecture", "mobilenetv2").put("channels", 3)
                .put("image_size", 16).put("classes", 4);
        CheckpointMeta meta = CheckpointMeta.fromJson(minimal, FILE);
        assertNull(meta.architecture().twoHeads());
        assertNull(meta.training().method());
        assertNull(meta.training().trainer());
        assertEquals(List.of(), meta.data().mean());

        assertMessage("checkpoint " + FILE + " names no model: its metadata has neither 'architecture' nor 'model_file'",
                without(minimal, "architecture"));
        assertMessage("checkpoint " + FILE + " has no integer 'classes' in its metadata",
                minimal.deepCopy().put("classes", "four"));
        assertMessage("checkpoint " + FILE + " has no 'image_size' (or 'image_height' and 'image_width') in its metadata",
                without(minimal, "image_size"));
        assertMessage("checkpoint " + FILE + " has no integer 'image_width' in its metadata",
                without(minimal, "image_size").put("image_height", 16));
    }

    private static ObjectNode without(ObjectNode meta, String key) {
        ObjectNode copy = meta.deepCopy();
        copy.remove(key);
        return copy;
    }

    private static void assertMessage(String expected, ObjectNode meta) {
        assertEquals(expected, assertThrows(IllegalArgumentException.class,
                () -> CheckpointMeta.fromJson(meta, FILE)).getMessage());
    }
}
