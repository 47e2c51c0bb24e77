package org.automixonnx.export;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.automixonnx.graphs.Network;
import org.automixonnx.importer.ModelRef;
import org.automixonnx.onnx.Tensor;
import org.automixonnx.runtime.CheckpointMeta;
import org.automixonnx.runtime.StateFile;

/**
 * A training run's checkpoint as {@code export} reads it: a {@link StateFile} whose {@link CheckpointMeta} describes
 * the model. In a run folder the checkpoint is {@link CheckpointMeta#LAST_FILE}; any other checkpoint of the run
 * ({@code best.state}, {@code epoch-NNN.state}) is exported by naming its file.
 */
public record RunCheckpoint(Path file, StateFile state, CheckpointMeta meta) {

    /** Reads {@code run} (a state file, or a run folder holding {@link CheckpointMeta#LAST_FILE}). */
    public static RunCheckpoint open(Path run) throws IOException {
        if (!Files.exists(run)) {
            throw new IOException("no run folder or state file at " + run);
        }
        Path file = Files.isDirectory(run) ? run.resolve(CheckpointMeta.LAST_FILE) : run;
        if (!Files.isRegularFile(file)) {
            throw new IOException("run folder " + run + " has no checkpoint " + CheckpointMeta.LAST_FILE
                    + " (checkpoints are written when an epoch ends)");
        }
        StateFile state = StateFile.read(file);
        return new RunCheckpoint(file, state, CheckpointMeta.fromJson(state.meta(), file));
    }

    public Map<String, Tensor> tensors() {
        return state.tensors();
    }

    /** C, H, W. */
    public long[] imageShape() {
        return meta.data().imageShape();
    }

    /** Whether the network has AutoMix's two heads; checkpoints older than the metadata key tell by their tensors. */
    public boolean twoHeads() {
        Boolean recorded = meta.architecture().twoHeads();
        return recorded != null ? recorded : tensors().keySet().stream().anyMatch(k -> k.endsWith("head_mix.weight"));
    }

    /** The model the checkpoint names; a relative model file is the run folder's (the run's own copy). */
    public ModelRef model() {
        CheckpointMeta.Architecture a = meta.architecture();
        return ModelRef.of(a.zooName(), a.modelFile(), a.featureTap(), file.toAbsolutePath().getParent());
    }

    /** The network the checkpoint was trained with. */
    public Network network() {
        return model().resolveForData(imageShape(), meta.data().classes(), twoHeads());
    }

    /** Export options filled with the run's description (architecture, method, class names, normalisation). */
    public ExportOptions options() {
        CheckpointMeta.Architecture a = meta.architecture();
        String arch = a.zooName() != null ? a.zooName() : "imported:" + a.modelFile();
        String method = meta.training().method() != null ? meta.training().method() : "unknown";
        return ExportOptions.defaults(arch).withEncoder(Encoder.defaultFor(tensors())).withDataInfo(method,
                meta.data().classNames(), meta.data().mean(), meta.data().std());
    }
}
