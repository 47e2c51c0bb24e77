package org.automixonnx.bench;

import java.util.Map;
import org.automixonnx.graphs.StepGraph;

/**
 * A train step to time: the graph, the batch size it was built for, the number of classes (labels are
 * drawn below it) and a value for each of its hyper-parameters.
 */
public record StepWorkload(String label, StepGraph graph, int batchSize, int classes, Map<String, Double> hyperParameters) {
    public StepWorkload {
        hyperParameters = Map.copyOf(hyperParameters);
    }
}
