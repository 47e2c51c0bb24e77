package org.automixonnx.train;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.automixonnx.graphs.Network;
import org.automixonnx.importer.OnnxClassifier;
import org.automixonnx.models.ModelZoo;
import org.automixonnx.runtime.AtomicFiles;

/**
 * The network a run trains: a zoo model by name ({@code model}) or a user's forward ONNX classifier
 * ({@code modelFile}, with {@code featureTap}), checked against the data it will see. A run keeps its own copy of
 * a model file ({@link #RUN_COPY}) so that resume, eval, visualize and export work after the original moves.
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
        if (c.modelFile == null) {
            try {
                return ModelZoo.create(c.model, (int) image[0], classes);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(e.getMessage());
            }
        }
        Path file = base.resolve(c.modelFile);
        OnnxClassifier net = load(file, c.featureTap);
        long[] expects = net.imageShape();
        if (!Arrays.equals(expects, image)) {
            throw new ConfigException("model file " + file + " takes " + shape(expects) + " images, the data set has "
                    + shape(image) + (expects[0] == image[0] ? " (image folders: set imageSize)" : ""));
        }
        try {
            return net.withClasses(classes);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("model file " + file + " predicts " + net.numClasses() + " classes, the data set "
                    + "has " + classes + ", and its head cannot be replaced: " + e.getMessage());
        }
    }

    /** Reads and checks a model file; every problem (missing file, invalid ONNX, unsupported graph) as one message. */
    public static OnnxClassifier load(Path file, String featureTap) {
        if (!Files.isRegularFile(file)) {
            throw new ConfigException("model file not found: " + file);
        }
        try {
            return OnnxClassifier.load(file, featureTap);
        } catch (IOException e) {
            throw new ConfigException("cannot read model file " + file + ": " + e.getMessage());
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

    private static String shape(long[] chw) {
        return chw[0] + "x" + chw[1] + "x" + chw[2];
    }
}
