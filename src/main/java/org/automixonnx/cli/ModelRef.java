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

    /** A model file and its optional feature tap, parsed from {@code file:<path>[#<tap>]}. */
    private record FileRef(Path path, String tap) {
        /** null for a zoo name */
        static FileRef parse(String model) {
            if (!model.startsWith(FILE)) {
                return null;
            }
            String ref = model.substring(FILE.length());
            int hash = ref.lastIndexOf('#');
            return new FileRef(Path.of(hash < 0 ? ref : ref.substring(0, hash)), hash < 0 ? null : ref.substring(hash + 1));
        }
    }

    /** Sets {@code c}'s model (a zoo name) or model file and feature tap from a model string. */
    static void applyTo(String model, org.automixonnx.train.TrainConfig c) {
        FileRef f = FileRef.parse(model);
        if (f == null) {
            c.model = model;
        } else {
            c.modelFile = f.path().toString();
            c.featureTap = f.tap();
        }
    }

    static Network network(String model, int channels, int classes) {
        FileRef f = FileRef.parse(model);
        if (f == null) {
            return ModelZoo.create(model, channels, classes);
        }
        OnnxClassifier net = ModelSource.load(f.path(), f.tap());
        long[] image = net.imageShape();
        if (image[0] != channels) {
            throw new IllegalArgumentException("model file " + f.path() + " takes " + image[0] + "-channel images; "
                    + "pass --channels " + image[0]);
        }
        return net;
    }
}
