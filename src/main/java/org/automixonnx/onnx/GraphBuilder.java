package org.automixonnx.onnx;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds a {@link Graph} node by node. Every value gets a unique name, every node output gets its type
 * and shape inferred on the spot (so mistakes fail where they are made, naming the node), and small
 * constants are shared.
 *
 * <p>Names: {@link #scope(String)} pushes a dotted prefix (e.g. {@code layer1.0.conv1}) so that nodes
 * and intermediate values read like the module that made them in an ONNX viewer.
 */
public final class GraphBuilder {
    private final String graphName;
    private final Map<String, Value> values = new LinkedHashMap<>();
    private final List<Value> inputs = new ArrayList<>();
    private final List<Value> outputs = new ArrayList<>();
    private final Map<String, Tensor> initializers = new LinkedHashMap<>();
    private final List<Node> nodes = new ArrayList<>();
    private final Map<String, Node> producers = new HashMap<>();
    private final Map<String, Value> constantCache = new HashMap<>();
    private final Map<String, Integer> nameCounters = new HashMap<>();
    private final Set<String> nodeNames = new HashSet<>();
    private final Deque<String> scopes = new ArrayDeque<>();
    private final List<Composite> composites = new ArrayList<>();

    public GraphBuilder(String graphName) {
        this.graphName = graphName;
    }

    /** The name of the graph being built. */
    public String graphName() {
        return graphName;
    }

    /** Starts a builder holding everything of an existing graph, e.g. to append a loss and gradients to it. */
    public static GraphBuilder from(Graph g) {
        GraphBuilder b = new GraphBuilder(g.name());
        for (Value v : g.inputs()) {
            b.register(v);
            b.inputs.add(v);
        }
        for (Map.Entry<String, Tensor> e : g.initializers().entrySet()) {
            Value v = g.values().get(e.getKey());
            b.register(v != null ? v : new Value(e.getKey(), e.getValue().dtype(), e.getValue().shape()));
            b.initializers.put(e.getKey(), e.getValue());
        }
        for (Node n : g.nodes()) {
            for (String out : n.outputs()) {
                if (!out.isEmpty()) {
                    b.register(g.value(out));
                    b.producers.put(out, n);
                }
            }
            b.nodes.add(n);
            b.nameCounters.merge(n.name(), 1, Integer::sum);
            b.nodeNames.add(n.name());
        }
        b.outputs.addAll(g.outputs());
        return b;
    }

    // ---------------------------------------------------------------- naming

    /** Pushes a name prefix until the returned handle is closed. */
    public Scope scope(String prefix) {
        scopes.push(scopes.isEmpty() ? prefix : scopes.peek() + "." + prefix);
        return scopes::pop;
    }

    /** Current dotted prefix ("" at top level). */
    public String prefix() {
        return scopes.isEmpty() ? "" : scopes.peek();
    }

    /** A fresh name based on the hint (qualified by the current scope), never used before in this graph. */
    public String uniqueName(String hint) {
        String base = scopes.isEmpty() ? hint : scopes.peek() + "/" + hint;
        String name = base;
        while (values.containsKey(name) || nameCounters.containsKey(name)) {
            int k = nameCounters.merge(base, 1, Integer::sum);
            name = base + "_" + k;
        }
        nameCounters.putIfAbsent(name, 0);
        return name;
    }

    /** A handle that pops a scope; use with try-with-resources. */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    // ---------------------------------------------------------------- values

    public Value input(String name, DType dtype, Shape shape) {
        Value v = new Value(name, dtype, shape);
        register(v);
        inputs.add(v);
        return v;
    }

    public Value initializer(String name, Tensor t) {
        Value v = new Value(name, t.dtype(), t.shape());
        register(v);
        initializers.put(name, t);
        return v;
    }

    /** A constant stored as an initializer; identical small constants share one initializer. */
    public Value constant(Tensor t) {
        String key = null;
        if (t.numel() <= 16) {
            key = t.dtype() + t.shape().toString() + java.util.Arrays.toString(t.asDoubles());
            Value cached = constantCache.get(key);
            if (cached != null) {
                return cached;
            }
        }
        Value v = initializer(uniqueName("const"), t);
        if (key != null) {
            constantCache.put(key, v);
        }
        return v;
    }

    public Value scalar(float v) {
        return constant(Tensor.scalar(v));
    }

    public Value longs(long... v) {
        return constant(Tensor.vector(v));
    }

    /** Marks a value as a graph output; when {@code name} differs from the value's name an Identity renames it. */
    public Value output(Value v, String name) {
        Value out = v;
        if (!v.name().equals(name)) {
            if (values.containsKey(name)) {
                throw new OnnxException("graph output name '" + name + "' is already used by another value");
            }
            out = addNode("Identity", List.of(v), Map.of(), List.of(name)).get(0);
        }
        outputs.add(out);
        return out;
    }

    public Value output(Value v) {
        return output(v, v.name());
    }

    public Value value(String name) {
        Value v = values.get(name);
        if (v == null) {
            throw new OnnxException("graph '" + graphName + "' has no value named '" + name + "'");
        }
        return v;
    }

    public boolean hasValue(String name) {
        return values.containsKey(name);
    }

    /** The node that produces a value, or null for inputs and initializers. */
    public Node producer(String valueName) {
        return producers.get(valueName);
    }

    public List<Node> nodes() {
        return java.util.Collections.unmodifiableList(nodes);
    }

    public List<Value> inputs() {
        return java.util.Collections.unmodifiableList(inputs);
    }

    public List<Value> outputs() {
        return java.util.Collections.unmodifiableList(outputs);
    }

    public Map<String, Tensor> initializers() {
        return java.util.Collections.unmodifiableMap(initializers);
    }

    /** The constant value of a tensor if it is an initializer or a Constant node's output, else null. */
    public Tensor constantValue(Value v) {
        Tensor t = initializers.get(v.name());
        if (t != null) {
            return t;
        }
        Node p = producers.get(v.name());
        if (p != null && p.opType().equals("Constant") && p.hasAttr("value")) {
            return p.require("value").asTensor();
        }
        return null;
    }

    // ---------------------------------------------------------------- nodes

    /** Adds a single-output node; attributes are plain Java values (see {@link Attribute#wrap}). */
    public Value op(String opType, List<Value> inputs, Map<String, ?> attrs) {
        return op(opType, inputs, attrs, 1).get(0);
    }

    public Value op(String opType, Value... inputs) {
        return op(opType, java.util.Arrays.asList(inputs), Map.of());
    }

    /** Adds a node with {@code numOutputs} outputs, each with a fresh name. A null input is an omitted one. */
    public List<Value> op(String opType, List<Value> inputs, Map<String, ?> attrs, int numOutputs) {
        List<String> outNames = new ArrayList<>();
        String hint = opType.toLowerCase();
        for (int i = 0; i < numOutputs; i++) {
            outNames.add(uniqueName(numOutputs == 1 ? hint : hint + "_out" + i));
        }
        return addNode(opType, inputs, attrs, outNames);
    }

    private List<Value> addNode(String opType, List<Value> given, Map<String, ?> attrs, List<String> outNames) {
        // Trailing omitted inputs are dropped rather than written as "": ONNX allows both, but ORT 1.29
        // crashes while loading a LayerNormalization whose omitted bias is spelled "".
        int end = given.size();
        while (end > 0 && given.get(end - 1) == null) {
            end--;
        }
        List<Value> ins = given.subList(0, end);
        // Sorted by name: callers often pass Map.of, whose order changes from JVM to JVM, and the files we
        // write must not (graphs/ is compared byte for byte with the generator).
        Map<String, Attribute> attributes = new java.util.TreeMap<>();
        attrs.forEach((k, v) -> attributes.put(k, Attribute.wrap(v)));
        List<String> inNames = new ArrayList<>();
        for (Value v : ins) {
            if (v != null && !values.containsKey(v.name())) {
                throw new OnnxException(opType + " node input '" + v.name() + "' does not belong to graph '"
                        + graphName + "'");
            }
            inNames.add(v == null ? "" : v.name());
        }
        Node node = new Node(uniqueNodeName(opType), opType, "", inNames, outNames, attributes);
        List<Value> outs = ShapeInference.infer(node, ins, this);
        for (Value o : outs) {
            register(o);
            producers.put(o.name(), node);
        }
        nodes.add(node);
        return outs;
    }

    private String uniqueNodeName(String opType) {
        String base = (scopes.isEmpty() ? "" : scopes.peek() + "/") + opType;
        String name;
        do { // the loop skips names taken by nodes of a graph this builder was started from
            int k = nameCounters.merge("node:" + base, 1, Integer::sum);
            name = k == 1 ? base : base + "_" + k;
        } while (!nodeNames.add(name));
        return name;
    }

    private void register(Value v) {
        if (values.containsKey(v.name())) {
            throw new OnnxException("value name '" + v.name() + "' is defined twice in graph '" + graphName + "'");
        }
        values.put(v.name(), v);
    }

    /** Declares that the nodes between {@code c.inputs()} and {@code c.outputs()} form one composite operation. */
    public void composite(Composite c) {
        for (Value v : c.outputs()) {
            if (producers.get(v.name()) == null) {
                throw new OnnxException("composite " + c.type() + " output '" + v.name() + "' is not a node output");
            }
        }
        composites.add(c);
    }

    public List<Composite> composites() {
        return java.util.Collections.unmodifiableList(composites);
    }

    public Graph build() {
        return new Graph(graphName, inputs, outputs, initializers, nodes, values);
    }

    public Model buildModel() {
        return new Model(build());
    }
}
