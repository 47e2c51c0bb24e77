package org.automixonnx.export;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.automixonnx.onnx.Graph;
import org.automixonnx.onnx.Model;
import org.automixonnx.onnx.Node;
import org.automixonnx.onnx.Tensor;
import org.automixonnx.onnx.Value;
import org.automixonnx.runtime.GraphSession;

/**
 * Replaces every node whose inputs are all initializers (or results of such nodes) by initializers holding
 * its results, evaluated by ONNX Runtime itself so the values are exactly what the unfolded graph computes.
 * An exported model's BatchNorm scale/shift chains ({@code gamma / sqrt(var + eps)}, ...) become per-channel
 * constants this way, which {@link BatchNormFolding} then merges into the convolutions.
 */
final class ConstantFolding {
    private ConstantFolding() {
    }

    static Model fold(Model model) {
        Graph g = model.graph();
        Set<String> constant = new HashSet<>(g.initializers().keySet());
        List<Node> folded = new ArrayList<>();
        List<Node> kept = new ArrayList<>();
        for (Node n : g.nodes()) {
            boolean allConstant = n.inputs().stream().allMatch(i -> i.isEmpty() || constant.contains(i));
            if (allConstant && n.domain().isEmpty()) {
                folded.add(n);
                constant.addAll(n.outputs());
            } else {
                kept.add(n);
            }
        }
        if (folded.isEmpty()) {
            return model;
        }
        Set<String> foldedOutputs = new HashSet<>();
        folded.forEach(n -> foldedOutputs.addAll(n.outputs()));
        Set<String> needed = new LinkedHashSet<>();
        kept.forEach(n -> n.inputs().stream().filter(foldedOutputs::contains).forEach(needed::add));
        g.outputs().stream().map(Value::name).filter(foldedOutputs::contains).forEach(needed::add);

        Graph constants = GraphRewrite.of(new Graph(g.name() + "_constants", List.of(),
                needed.stream().map(g::value).toList(), g.initializers(), folded, g.values()), folded,
                g.initializers(), Map.of());
        Map<String, Tensor> values;
        try (GraphSession s = new GraphSession(new Model(constants, model.opset(), Map.of()))) {
            values = s.run(Map.of());
        }
        Map<String, Tensor> inits = new LinkedHashMap<>(g.initializers());
        inits.putAll(values);
        return new Model(GraphRewrite.of(g, kept, inits, Map.of()), model.opset(), model.metadata());
    }
}
