package org.automixonnx.importer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Consumer;
import org.automixonnx.models.ImageClassifier;
import org.automixonnx.models.ModelZoo;

/**
 * Which network to build: a zoo model by name, or a user's forward ONNX classifier (a model file, with the tensor
 * AutoMix and ManifoldMix tap if one is named). The one place a model is resolved: {@code train} (from its config),
 * {@code export} (from a checkpoint's metadata) and {@code graphs}/{@code bench} (from their options) all build their
 * network here. It lives in {@code importer}, the first package that knows both the zoo and {@link OnnxClassifier}.
 *
 * @param zooName    a {@link ModelZoo} name, or null for a model file
 * @param file       the model file, or null for a zoo model
 * @param featureTap with a model file: the tensor used as feature map, or null
 */
public record ModelRef(String zooName, Path file, String featureTap) {
    public ModelRef {
        if ((zooName == null) == (file == null)) {
            throw new IllegalArgumentException("a model is a zoo name or a model file (got " + zooName + ", " + file
                    + ")");
        }
        if (featureTap != null && file == null) {
            throw new IllegalArgumentException("a feature tap names a tensor of a model file; zoo models tap l1..l4");
        }
    }

    public static ModelRef zoo(String name) {
        return new ModelRef(name, null, null);
    }

    public static ModelRef file(Path file, String featureTap) {
        return new ModelRef(null, file, featureTap);
    }

    /**
     * The model a saved config or checkpoint names: {@code modelFile} (resolved against {@code base} when relative)
     * when given, else the zoo name.
     */
    public static ModelRef of(String zooName, String modelFile, String featureTap, Path base) {
        return modelFile != null ? file(base.resolve(modelFile), featureTap) : zoo(zooName);
    }

    /** For messages: the zoo name, or {@code model file <path>}. */
    @Override
    public String toString() {
        return file != null ? "model file " + file : zooName;
    }

    /**
     * The network for the {@code graphs} and {@code bench} options: a model file must take {@code channels}-channel
     * images (its height and width are checked where the graphs are built for the requested image size).
     *
     * @param twoHeads {@code head_one} and {@code head_mix} (AutoMix) instead of the single head
     */
    public ImageClassifier resolve(int channels, int classes, boolean twoHeads) {
        return build(channels, classes, twoHeads, expects -> {
            if (expects[0] != channels) {
                throw new IllegalArgumentException("model file " + file + " takes " + expects[0] + "-channel images; "
                        + "pass --channels " + expects[0]);
            }
        });
    }

    /**
     * The network for a data set's images ({@code image}: C, H, W, all of which a model file must take, and whose size a
     * zoo model must accept, see {@link ImageClassifier#checkImage}).
     */
    public ImageClassifier resolveForData(long[] image, int classes, boolean twoHeads) {
        ImageClassifier net = build(Math.toIntExact(image[0]), classes, twoHeads, expects -> {
            if (!Arrays.equals(expects, image)) {
                throw new IllegalArgumentException("model file " + file + " takes " + shape(expects) + " images, the "
                        + "data set has " + shape(image) + (expects[0] == image[0] ? " (image folders: set imageSize)"
                        : ""));
            }
        });
        net.checkImage(image);
        return net;
    }

    /**
     * A zoo model as named, or the model file checked by {@code checkImage} (given the file's C, H, W) with its head
     * replaced when it predicts another number of classes.
     */
    private ImageClassifier build(int channels, int classes, boolean twoHeads, Consumer<long[]> checkImage) {
        if (zooName != null) {
            return ModelZoo.create(zooName, channels, classes, twoHeads);
        }
        OnnxClassifier net = load();
        checkImage.accept(net.imageShape());
        OnnxClassifier fitted;
        try {
            fitted = net.withClasses(classes);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("model file " + file + " predicts " + net.numClasses() + " classes, the "
                    + "data set has " + classes + ", and its head cannot be replaced: " + e.getMessage(), e);
        }
        return fitted.withTwoHeads(twoHeads);
    }

    /** Reads and checks the model file; every problem (missing file, invalid ONNX, unsupported graph) as one message. */
    private OnnxClassifier load() {
        if (!Files.exists(file)) {
            throw new IllegalArgumentException("model file not found: " + file);
        }
        try {
            return OnnxClassifier.load(file, featureTap);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read model file " + file + ": " + e.getMessage(), e);
        }
    }

    private static String shape(long[] chw) {
        return chw[0] + "x" + chw[1] + "x" + chw[2];
    }
}
