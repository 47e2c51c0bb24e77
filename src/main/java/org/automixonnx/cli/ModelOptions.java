package org.automixonnx.cli;

import java.nio.file.Path;
import org.automixonnx.importer.ModelRef;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/** The model and input options that {@code graphs} and {@code bench} share. */
final class ModelOptions {
    /** A zoo model or a user's ONNX classifier: exactly one of the two. */
    static final class Source {
        @Option(names = "--model", required = true, paramLabel = "NAME",
                description = "Model name, e.g. resnet18-cifar, resnet50, wrn-28-10, mobilenetv2-w0.5.")
        String model;

        @Option(names = "--model-file", required = true, paramLabel = "FILE",
                description = "A forward ONNX classifier to train instead of a zoo model (e.g. from torch.onnx.export).")
        Path modelFile;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    @Option(names = "--feature-tap", paramLabel = "TENSOR",
            description = "With --model-file: the tensor used as feature map by AutoMix/ManifoldMix.")
    String featureTap;

    @Option(names = "--channels", paramLabel = "C", defaultValue = "3", description = "Input channels (default: ${DEFAULT-VALUE}).")
    int channels;

    @Option(names = "--image-size", paramLabel = "S", defaultValue = "32",
            description = "Input height and width (default: ${DEFAULT-VALUE}).")
    int imageSize;

    ModelSpec spec(int batchSize, int classes) {
        if (featureTap != null && source.modelFile == null) {
            throw new CliFailure("--feature-tap needs --model-file (zoo models tap l1..l4)");
        }
        ModelRef model = source.model != null ? ModelRef.zoo(source.model) : ModelRef.file(source.modelFile, featureTap);
        try {
            return new ModelSpec(model, batchSize, classes, channels, imageSize);
        } catch (IllegalArgumentException e) {
            throw new CliFailure(e.getMessage());
        }
    }
}
