package org.automixonnx.cli;

import java.util.ArrayList;
import java.util.List;
import org.automixonnx.importer.ModelRef;
import org.automixonnx.mixup.ValueRange;
import org.automixonnx.onnx.HeapBudget;

/** Which model to build and for which input: what the {@code graphs} and {@code bench} options describe. */
public record ModelSpec(ModelRef model, int batchSize, int classes, int channels, int imageSize) {
    public ModelSpec {
        List<String> problems = new ArrayList<>();
        ValueRange.atLeast(problems, "--batch-size", batchSize, 1);
        ValueRange.atLeast(problems, "--classes", classes, 2);
        ValueRange.atLeast(problems, "--channels", channels, 1);
        ValueRange.atLeast(problems, "--image-size", imageSize, 1);
        if (problems.isEmpty()) {
            // a batch of float images is one array (the step's input buffer): its size must not overflow it
            String tooLarge = HeapBudget.refusal(HeapBudget.product(4, batchSize, channels, imageSize, imageSize));
            if (tooLarge != null) {
                problems.add("a batch of " + batchSize + " float images of " + channels + "x" + imageSize + "x"
                        + imageSize + " " + tooLarge + "; give a smaller --batch-size or --image-size");
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
    }

    /** e.g. {@code resnet18-cifar, batch 100, 3x32x32, 10 classes}. */
    public String describe() {
        return model + ", batch " + batchSize + ", " + channels + "x" + imageSize + "x" + imageSize + ", " + classes
                + " classes";
    }
}
