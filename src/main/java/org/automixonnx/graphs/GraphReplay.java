package org.automixonnx.graphs;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.automixonnx.onnx.Graph;
import org.automixonnx.onnx.GraphBuilder;
import org.automixonnx.onnx.Node;
import org.automixonnx.onnx.OnnxException;
import org.automixonnx.onnx.Tensor;
import org.automixonnx.onnx.Value;

/**
 * Re-emits a finished graph's nodes into another builder, with some of its inputs replaced by values of that
 * builder. Every shape is inferred anew, so a graph built with a symbolic batch (an evaluation graph) takes the
 * static batch of the values it is given, which the autodiff needs; and the same graph can be applied several
 * times in one builder (to clean, perturbed and mixed images). Inputs that are not replaced become inputs of the
 * target builder under their own names, shared by every application (the parameters). Only the nodes the
 * requested outputs depend on are emitted.
 */
public final class GraphReplay {
    private final Graph graph;
    private final GraphBuilder target;
    private final Map<String, Node> producerOf = new HashMap<>();
    private final Map<String, Value> constants = new HashMap<>();

    public GraphReplay(Graph graph, GraphBuilder target) {
        this.graph = graph;
        this.target = target;
        for (Node n : graph.nodes()) {
            n.outputs().forEach(o -> producerOf.put(o, n));
        }
    }

    /** Emits what {@code outputs} (names of the replayed graph's values) need; returns them by name. */
    public Map<String, Value> apply(Map<String, Value> replaced, Collection<String> outputs) {
        Set<String> needed = neededNodes(outputs);
        Map<String, Value> env = new HashMap<>(replaced);
        for (Node n : graph.nodes()) {
            if (!needed.contains(n.name())) {
                continue;
            }
            List<Value> outs;
            if (n.opType().equals("Constant")) {
                outs = List.of(target.constant(n.require("value").asTensor()));
            } else {
                List<Value> ins = n.inputs().stream().map(in -> in.isEmpty() ? null : value(in, env)).toList();
                try {
                    outs = target.op(n.opType(), ins, n.attributes(), n.outputs().size());
                } catch (OnnxException | IllegalArgumentException e) {
                    throw new OnnxException("replaying node " + n.name() + " of graph '" + graph.name() + "': "
                            + e.getMessage());
                }
            }
            for (int i = 0; i < outs.size(); i++) {
                if (!n.output(i).isEmpty()) {
                    env.put(n.output(i), outs.get(i));
                }
            }
        }
        Map<String, Value> result = new LinkedHashMap<>();
        for (String o : outputs) {
            result.put(o, value(o, env));
        }
        return result;
    }

    private Set<String> neededNodes(Collection<String> outputs) {
        Set<String> nodes = new HashSet<>();
        Set<String> seen = new HashSet<>();
        Deque<String> todo = new ArrayDeque<>(outputs);
        while (!todo.isEmpty()) {
            String v = todo.pop();
            Node p = producerOf.get(v);
            if (seen.add(v) && p != null && nodes.add(p.name())) {
                p.inputs().stream().filter(in -> !in.isEmpty()).forEach(todo::push);
            }
        }
        return nodes;
    }

    /** A value of the replayed graph: computed, replaced, a constant, or an input created on first use. */
    private Value value(String name, Map<String, Value> env) {
        Value v = env.get(name);
        if (v != null) {
            return v;
        }
        Tensor t = graph.initializers().get(name);
        if (t != null) {
            return constants.computeIfAbsent(name, k -> target.constant(t));
        }
        Value in = graph.inputs().stream().filter(i -> i.name().equals(name)).findFirst()
                .orElseThrow(() -> new OnnxException("graph '" + graph.name() + "' has no value '" + name + "'"));
        if (target.hasValue(name)) {
            Value existing = target.value(name);
            if (existing.dtype() != in.dtype() || !existing.shape().equals(in.shape())) {
                throw new OnnxException("input '" + name + "' of graph '" + graph.name() + "' is " + in
                        + " but the target graph already has " + existing);
            }
            return existing;
        }
        return target.input(name, in.dtype(), in.shape());
    }
}
