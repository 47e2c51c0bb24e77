package org.automixonnx.cli;

import java.nio.file.Path;
import org.automixonnx.graphs.Network;
import org.automixonnx.importer.OnnxClassifier;
import org.automixonnx.models.ModelZoo;
import org.automixonnx.train.ModelSource;

/**
 * The model string of a {@link ModelSpec}: a zoo name, or {@code file:<path>[#<feature tap>]} for a user's ONNX
 * classifier given with {@code --model-file}.
 */
final class ModelRef {
    static final String FILE = "file:";

    private ModelRef() {
    }

    static String file(Path path, String tap) {
        return FILE + path + (tap == null ? "" : "#" + tap);
    }

    /** Sets {@code c}'s model (a zoo name) or model file and feature tap from a model string. */
    static void applyTo(String model, org.automixonnx.train.TrainConfig c) {
        if (!model.startsWith(FILE)) {
            c.model = model;
            return;
        }
        String ref = model.substring(FILE.length());
        int hash = ref.lastIndexOf('#');
        c.modelFile = hash < 0 ? ref : ref.substring(0, hash);
        c.featureTap = hash < 0 ? null : ref.substring(hash + 1);
    }

    static Network network(String model, int channels, int classes) {
        if (!model.startsWith(FILE)) {
            return ModelZoo.create(model, channels, classes);
        }
        String ref = model.substring(FILE.length());
        int hash = ref.lastIndexOf('#');
        Path path = Path.of(hash < 0 ? ref : ref.substring(0, hash));
        OnnxClassifier net = ModelSource.load(path, hash < 0 ? null : ref.substring(hash + 1));
        long[] image = net.imageShape();
        if (image[0] != channels) {
            throw new IllegalArgumentException("model file " + path + " takes " + image[0] + "-channel images; "
                    + "pass --channels " + image[0]);
        }
        return net;
    }
}
