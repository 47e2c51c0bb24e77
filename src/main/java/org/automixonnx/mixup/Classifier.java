package org.automixonnx.mixup;

import java.util.Map;
import java.util.function.Supplier;
import org.automixonnx.graphs.StepGraph;
import org.automixonnx.runtime.DirectTensor;

/**
 * A classifier to evaluate: an evaluation graph (inputs {@code x}, {@code y} and state; dynamic batch),
 * where its state comes from, and which graph outputs count correct top-1 predictions under which metric
 * name (e.g. {@code correct_one -> top1_one_q}). Each count output {@code correct<suffix>} has its logits output
 * {@code logits<suffix>} (e.g. {@code logits_one}): the evaluation suite builds on it.
 *
 * @param state supplies, at evaluation time, a buffer for every state input of the graph by input name
 */
public record Classifier(String name, StepGraph evalGraph, Supplier<Map<String, DirectTensor>> state,
        Map<String, String> correctOutputs) {
    /** The metric name of a single model's top-1 accuracy. */
    public static final String SINGLE_MODEL_TOP1 = "top1";

    /** The one classifier of a method that trains a single model: {@code model}, its top-1 as {@code top1}. */
    public static Classifier singleModel(StepGraph evalGraph, Supplier<Map<String, DirectTensor>> state) {
        return new Classifier("model", evalGraph, state, Map.of("correct", SINGLE_MODEL_TOP1));
    }
}
