package org.automixonnx.cli;

import org.automixonnx.importer.ModelRef;

/** Which model to build and for which input: what the {@code graphs} and {@code bench} options describe. */
public record ModelSpec(ModelRef model, int batchSize, int classes, int channels, int imageSize) {
    public ModelSpec {
        if (batchSize < 1 || classes < 2 || channels < 1 || imageSize < 1) {
            throw new IllegalArgumentException("need batch size >= 1, classes >= 2, channels >= 1 and image size >= 1 (got "
                    + batchSize + ", " + classes + ", " + channels + ", " + imageSize + ")");
        }
    }

    /** e.g. {@code resnet18-cifar, batch 100, 3x32x32, 10 classes}. */
    public String describe() {
        return model + ", batch " + batchSize + ", " + channels + "x" + imageSize + "x" + imageSize + ", " + classes
                + " classes";
    }
}
