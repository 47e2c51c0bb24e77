package org.automixonnx.export;

import java.util.List;
import org.automixonnx.models.Head;

/**
 * What to export and what to write into the model's metadata.
 *
 * @param encoder       q or k (see {@link Encoder})
 * @param head          one (the deployed head) or mix
 * @param foldBn        merge each BatchNorm into its preceding convolution
 * @param softmax       add the output {@code probabilities}
 * @param architecture  model name (zoo name or imported file), written to metadata
 * @param method        training method (vanilla, mixup, automix, ...), written to metadata
 * @param classNames    one name per class (may be empty: then class indices are the names)
 * @param mean          per-channel input normalisation mean (may be empty)
 * @param std           per-channel input normalisation std (may be empty)
 */
public record ExportOptions(Encoder encoder, Head head, boolean foldBn, boolean softmax, String architecture,
        String method, List<String> classNames, List<Double> mean, List<Double> std) {
    public ExportOptions {
        classNames = List.copyOf(classNames);
        mean = List.copyOf(mean);
        std = List.copyOf(std);
    }

    /** The defaults of {@code automix-onnx export}: encoder q, head one, no folding, no softmax. */
    public static ExportOptions defaults(String architecture) {
        return new ExportOptions(Encoder.Q, Head.ONE, false, false, architecture, "unknown", List.of(), List.of(),
                List.of());
    }

    public ExportOptions withEncoder(Encoder e) {
        return new ExportOptions(e, head, foldBn, softmax, architecture, method, classNames, mean, std);
    }

    public ExportOptions withHead(Head h) {
        return new ExportOptions(encoder, h, foldBn, softmax, architecture, method, classNames, mean, std);
    }

    public ExportOptions withFoldBn(boolean f) {
        return new ExportOptions(encoder, head, f, softmax, architecture, method, classNames, mean, std);
    }

    public ExportOptions withSoftmax(boolean s) {
        return new ExportOptions(encoder, head, foldBn, s, architecture, method, classNames, mean, std);
    }

    public ExportOptions withDataInfo(String trainingMethod, List<String> names, List<Double> m, List<Double> s) {
        return new ExportOptions(encoder, head, foldBn, softmax, architecture, trainingMethod, names, m, s);
    }
}
