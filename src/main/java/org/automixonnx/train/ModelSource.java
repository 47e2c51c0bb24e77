package org.automixonnx.train;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.automixonnx.graphs.Network;
import org.automixonnx.importer.ModelRef;
import org.automixonnx.runtime.AtomicFiles;

/**
 * The network a run trains: the zoo model ({@code model}) or the user's forward ONNX classifier ({@code modelFile},
 * with {@code featureTap}) its config names, resolved by {@link ModelRef} for the data it will see. A run keeps its
 * own copy of a model file ({@link #RUN_COPY}) so that resume, eval, visualize and export work after the original
 * moves.
 */
public final class ModelSource {
    /** File name of the model file's copy in the run folder; the saved config points at it. */
    public static final String RUN_COPY = "model.onnx";

    private ModelSource() {
    }

    /**
     * @param base   folder a relative {@code modelFile} is resolved against (the working folder for a new run,
     *               the run folder for a saved config)
     * @param image  C, H, W of the data's images
     */
    public static Network create(TrainConfig c, Path base, long[] image, int classes) {
        try {
            return ModelRef.of(c.model, c.modelFile, c.featureTap, base).resolveForData(image, classes, false);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    /**
     * For a new run: copies the model file into the run folder and returns the config to save and train with,
     * pointing at that copy; a zoo config is returned unchanged.
     */
    static TrainConfig keepCopy(TrainConfig c, Path base, RunFolder run) throws IOException {
        if (c.modelFile == null) {
            return c;
        }
        Path copy = run.resolve(RUN_COPY);
        AtomicFiles.write(copy, ByteBuffer.wrap(Files.readAllBytes(base.resolve(c.modelFile))));
        TrainConfig saved = c.copy();
        saved.modelFile = RUN_COPY;
        return saved;
    }
}
