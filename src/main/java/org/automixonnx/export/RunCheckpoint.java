package org.automixonnx.export;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.automixonnx.graphs.Network;
import org.automixonnx.importer.OnnxClassifier;
import org.automixonnx.models.ModelZoo;
import org.automixonnx.onnx.Tensor;
import org.automixonnx.runtime.StateFile;

/**
 * A training run's checkpoint as {@code export} reads it: a {@link StateFile} whose metadata describes the model.
 * Metadata keys (written by the trainer): {@code architecture} (zoo name) or {@code model_file} (imported ONNX
 * classifier, relative to the run folder or absolute) with optional {@code feature_tap}; {@code channels},
 * {@code image_size} (square) or {@code image_height}/{@code image_width}, {@code classes}; optional
 * {@code class_names}, {@code mean}, {@code std} (arrays), {@code method}, {@code two_heads}. In a run folder the
 * checkpoint is the first of {@link #FILE_NAMES} that exists, in the folder or its {@code checkpoints/}.
 */
public record RunCheckpoint(Path file, StateFile state) {
    public static final List<String> FILE_NAMES = List.of("final.state", "last.state", "checkpoint.state");
    /** The run folder's checkpoint subfolder (train.RunFolder#checkpoints). */
    public static final String CHECKPOINT_FOLDER = "checkpoints";

    /** Reads {@code run} (a state file, or a run folder holding one). */
    public static RunCheckpoint open(Path run) throws IOException {
        Path file = run;
        if (Files.isDirectory(run)) {
            file = FILE_NAMES.stream().flatMap(n -> java.util.stream.Stream.of(run.resolve(n),
                    run.resolve(CHECKPOINT_FOLDER).resolve(n))).filter(Files::isRegularFile).findFirst()
                    .orElseThrow(() -> new IOException("run folder " + run + " has no checkpoint (looked for "
                            + String.join(", ", FILE_NAMES) + " in it and in " + CHECKPOINT_FOLDER + "/)"));
        } else if (!Files.exists(run)) {
            throw new IOException("no run folder or state file at " + run);
        }
        return new RunCheckpoint(file, StateFile.read(file));
    }

    public JsonNode meta() {
        return state.meta();
    }

    public Map<String, Tensor> tensors() {
        return state.tensors();
    }

    private int requiredInt(String key) {
        JsonNode n = meta().get(key);
        if (n == null || !n.canConvertToInt()) {
            throw new IllegalArgumentException("checkpoint " + file + " has no integer '" + key + "' in its metadata");
        }
        return n.asInt();
    }

    /** C, H, W. */
    public long[] imageShape() {
        if (!meta().has("image_size") && !meta().has("image_height")) {
            throw new IllegalArgumentException("checkpoint " + file + " has no 'image_size' (or 'image_height' and "
                    + "'image_width') in its metadata");
        }
        int h = meta().has("image_size") ? requiredInt("image_size") : requiredInt("image_height");
        int w = meta().has("image_size") ? h : requiredInt("image_width");
        return new long[] {requiredInt("channels"), h, w};
    }

    public boolean twoHeads() {
        if (meta().has("two_heads")) {
            return meta().get("two_heads").asBoolean();
        }
        return tensors().keySet().stream().anyMatch(k -> k.endsWith("head_mix.weight"));
    }

    /** The network the checkpoint was trained with. */
    public Network network() throws IOException {
        if (meta().hasNonNull("model_file")) {
            Path model = Path.of(meta().get("model_file").asText());
            Path resolved = model.isAbsolute() ? model : file.toAbsolutePath().getParent().resolve(model);
            return OnnxClassifier.load(resolved, meta().path("feature_tap").asText(null))
                    .withClasses(requiredInt("classes")).withTwoHeads(twoHeads());
        }
        if (!meta().hasNonNull("architecture")) {
            throw new IllegalArgumentException("checkpoint " + file + " names no model: its metadata has neither "
                    + "'architecture' nor 'model_file'");
        }
        return ModelZoo.create(meta().get("architecture").asText(), (int) imageShape()[0], requiredInt("classes"),
                twoHeads());
    }

    /** Export options filled with the run's description (architecture, method, class names, normalisation). */
    public ExportOptions options() {
        String arch = meta().hasNonNull("architecture") ? meta().get("architecture").asText()
                : "imported:" + meta().path("model_file").asText("?");
        return ExportOptions.defaults(arch).withEncoder(Encoder.defaultFor(tensors())).withDataInfo(
                meta().path("method").asText("unknown"), strings("class_names"), numbers("mean"), numbers("std"));
    }

    private List<String> strings(String key) {
        List<String> out = new ArrayList<>();
        meta().path(key).forEach(n -> out.add(n.asText()));
        return out;
    }

    private List<Double> numbers(String key) {
        List<Double> out = new ArrayList<>();
        meta().path(key).forEach(n -> out.add(n.asDouble()));
        return out;
    }
}
