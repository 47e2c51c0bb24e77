package org.automixonnx.cli;

import picocli.CommandLine.Option;

/** The model and input options that {@code graphs} and {@code bench} share. */
final class ModelOptions {
    @Option(names = "--model", required = true, paramLabel = "NAME", description = "Model name, e.g. resnet18-cifar.")
    String model;

    @Option(names = "--channels", paramLabel = "C", defaultValue = "3", description = "Input channels (default: ${DEFAULT-VALUE}).")
    int channels;

    @Option(names = "--image-size", paramLabel = "S", defaultValue = "32",
            description = "Input height and width (default: ${DEFAULT-VALUE}).")
    int imageSize;

    ModelSpec spec(int batchSize, int classes) {
        try {
            return new ModelSpec(model, batchSize, classes, channels, imageSize);
        } catch (IllegalArgumentException e) {
            throw new CliFailure(e.getMessage());
        }
    }
}
