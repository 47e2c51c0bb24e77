package org.automixonnx.export;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.automixonnx.onnx.Graph;
import org.automixonnx.onnx.Node;
import org.automixonnx.onnx.Tensor;
import org.automixonnx.onnx.Value;

/** Rebuilds a graph from new nodes and initializers, dropping initializers and value types nothing uses. */
final class GraphRewrite {
    private GraphRewrite() {
    }

    static Graph of(Graph g, List<Node> nodes, Map<String, Tensor> initializers, Map<String, Value> extraValues) {
        Set<String> used = new HashSet<>();
        nodes.forEach(n -> used.addAll(n.inputs()));
        g.outputs().forEach(o -> used.add(o.name()));
        Map<String, Tensor> inits = new LinkedHashMap<>();
        initializers.forEach((k, v) -> {
            if (used.contains(k)) {
                inits.put(k, v);
            }
        });
        Set<String> live = new HashSet<>(inits.keySet());
        g.inputs().forEach(i -> live.add(i.name()));
        nodes.forEach(n -> live.addAll(n.outputs()));
        Map<String, Value> values = new LinkedHashMap<>();
        g.values().forEach((k, v) -> {
            if (live.contains(k)) {
                values.put(k, v);
            }
        });
        extraValues.forEach(values::put);
        return new Graph(g.name(), g.inputs(), g.outputs(), inits, nodes, values);
    }
}
