package org.automixonnx.onnx;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An immutable ONNX graph in our own object model: inputs, outputs, initializers, nodes in topological
 * order and the inferred type of every value.
 */
public final class Graph {
    private final String name;
    private final List<Value> inputs;
    private final List<Value> outputs;
    private final Map<String, Tensor> initializers;
    private final List<Node> nodes;
    private final Map<String, Value> values;

    public Graph(String name, List<Value> inputs, List<Value> outputs, Map<String, Tensor> initializers,
            List<Node> nodes, Map<String, Value> values) {
        this.name = name;
        this.inputs = List.copyOf(inputs);
        this.outputs = List.copyOf(outputs);
        this.initializers = Collections.unmodifiableMap(new LinkedHashMap<>(initializers));
        this.nodes = List.copyOf(nodes);
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    public String name() {
        return name;
    }

    public List<Value> inputs() {
        return inputs;
    }

    public List<Value> outputs() {
        return outputs;
    }

    public Map<String, Tensor> initializers() {
        return initializers;
    }

    public List<Node> nodes() {
        return nodes;
    }

    /** Every typed value by name (inputs, initializers, node outputs). */
    public Map<String, Value> values() {
        return values;
    }

    public Value value(String name) {
        Value v = values.get(name);
        if (v == null) {
            throw new OnnxException("graph '" + this.name + "' has no value named '" + name + "'");
        }
        return v;
    }

    public Value input(String name) {
        for (Value v : inputs) {
            if (v.name().equals(name)) {
                return v;
            }
        }
        throw new OnnxException("graph '" + this.name + "' has no input named '" + name + "'");
    }

    public Value output(String name) {
        for (Value v : outputs) {
            if (v.name().equals(name)) {
                return v;
            }
        }
        throw new OnnxException("graph '" + this.name + "' has no output named '" + name + "'");
    }

    /** Number of nodes of each operator type, for summaries and tests. */
    public Map<String, Integer> opHistogram() {
        Map<String, Integer> h = new HashMap<>();
        for (Node n : nodes) {
            h.merge(n.opType(), 1, Integer::sum);
        }
        return h;
    }

    /** Nodes that consume each value name. */
    public Map<String, List<Node>> consumers() {
        Map<String, List<Node>> m = new HashMap<>();
        for (Node n : nodes) {
            for (String in : n.inputs()) {
                if (!in.isEmpty()) {
                    m.computeIfAbsent(in, k -> new ArrayList<>()).add(n);
                }
            }
        }
        return m;
    }
}
