package org.automixonnx.importer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.automixonnx.autodiff.GradientRegistry;
import org.automixonnx.onnx.DType;
import org.automixonnx.onnx.Graph;
import org.automixonnx.onnx.Model;
import org.automixonnx.onnx.Node;
import org.automixonnx.onnx.ShapeInference;
import org.automixonnx.onnx.Value;

/**
 * Everything that must hold before a user's ONNX classifier can be trained, each failure with a message that
 * names the problem and what to do: opset range, one float NCHW image input with known C, H, W, one logits
 * output, only operators we can both re-infer and differentiate, BatchNormalization with constant parameters
 * and unused training outputs, an existing feature tap.
 */
final class ImportCheck {
    static final int MIN_OPSET = 13;
    /**
     * The most nodes an imported graph may have. Its training graphs hold several times as many, and ORT's session
     * creation grows faster than linearly with them (a chain of 5,000 nodes trained a tiny data set for one epoch
     * in about 30 s of CPU, one of 20,000 stalled session creation for minutes), while image classifiers stay far
     * below (a torch export of ResNet-152 has about 500 nodes).
     */
    static final int MAX_NODES = 5_000;
    /** The longest chain of nodes an imported graph may have (see {@link #MAX_NODES}; ResNet-152: about 360). */
    static final int MAX_DEPTH = 2_000;
    /** Handled by the importer itself rather than re-emitted. */
    static final Set<String> SPECIAL = Set.of("BatchNormalization", "Dropout", "Identity", "Constant");

    private ImportCheck() {
    }

    static boolean supported(String op) {
        GradientRegistry r = GradientRegistry.standard();
        return SPECIAL.contains(op) || (ShapeInference.supports(op) && (r.has(op) || r.isNonDifferentiable(op)));
    }

    /** The image input (the one graph input that is not an initializer), after checking the whole model. */
    static Value check(Model m, String tap, String source) {
        Graph g = m.graph();
        checkSize(g, source);
        if (m.opset() < MIN_OPSET || m.opset() > Model.OPSET) {
            throw fail(source, "uses opset " + m.opset() + "; supported are " + MIN_OPSET + " to " + Model.OPSET
                    + " (re-export with torch.onnx.export(..., opset_version=17))");
        }
        List<Value> data = g.inputs().stream().filter(v -> !g.initializers().containsKey(v.name())).toList();
        if (data.size() != 1) {
            throw fail(source, "has " + data.size() + " non-constant inputs " + names(data)
                    + "; an image classifier has exactly one, the float [N, C, H, W] image");
        }
        Value in = data.get(0);
        if (in.dtype() != DType.FLOAT || in.rank() != 4) {
            throw fail(source, "has no float NCHW image input: input '" + in.name() + "' is " + in.dtype()
                    + in.shape() + ", expected float32 [N, C, H, W]");
        }
        for (int i = 1; i < 4; i++) {
            if (in.dim(i) <= 0) {
                throw fail(source, "input '" + in.name() + "' has unknown " + "CHW".charAt(i - 1) + " dimension "
                        + in.shape() + "; export it with fixed channels and image size (only the batch may be "
                        + "dynamic)");
            }
        }
        if (g.outputs().size() != 1 || g.outputs().get(0).rank() > 0 && g.outputs().get(0).rank() != 2) {
            throw fail(source, "must have one output, the logits [N, K]; it has " + g.outputs().size() + " outputs "
                    + describe(g.outputs()));
        }
        Map<String, List<String>> unsupported = new LinkedHashMap<>();
        for (Node n : g.nodes()) {
            String op = n.domain().isEmpty() || n.domain().equals("ai.onnx") ? n.opType() : n.domain() + ":" + n.opType();
            if (!(n.domain().isEmpty() || n.domain().equals("ai.onnx")) || !supported(n.opType())) {
                unsupported.computeIfAbsent(op, k -> new ArrayList<>()).add(n.name());
            }
        }
        if (!unsupported.isEmpty()) {
            StringBuilder sb = new StringBuilder("uses operators this toolkit cannot train through: ");
            unsupported.forEach((op, nodes) -> sb.append(op).append(" (node ").append(nodes.get(0))
                    .append(nodes.size() > 1 ? " and " + (nodes.size() - 1) + " more" : "").append("); "));
            TreeSet<String> ok = new TreeSet<>(SPECIAL);
            GradientRegistry.standard().operators().stream().filter(ShapeInference::supports).forEach(ok::add);
            throw fail(source, sb + "supported: " + String.join(", ", ok));
        }
        Map<String, List<Node>> consumers = g.consumers();
        for (Node n : g.nodes()) {
            if (n.opType().equals("BatchNormalization")) {
                for (int i = 1; i <= 4; i++) {
                    if (!g.initializers().containsKey(n.input(i))) {
                        throw fail(source, "BatchNormalization node " + n.name() + " has a non-constant input "
                                + n.input(i) + "; scale, bias, mean and variance must be initializers");
                    }
                }
            }
            if (SPECIAL.contains(n.opType()) && !n.opType().equals("Constant")) {
                for (int i = 1; i < n.outputs().size(); i++) {
                    if (!n.output(i).isEmpty() && consumers.containsKey(n.output(i))) {
                        throw fail(source, n.opType() + " node " + n.name() + " has its extra output " + n.output(i)
                                + " consumed by other nodes; only the main output can be imported");
                    }
                }
            }
        }
        if (tap != null && !tap.equals(in.name()) && g.nodes().stream().noneMatch(n -> n.outputs().contains(tap))) {
            List<String> candidates = g.nodes().stream().flatMap(n -> n.outputs().stream())
                    .filter(o -> !g.values().containsKey(o) || g.value(o).rank() == 4).toList();
            throw fail(source, "has no tensor named '" + tap + "' for the feature tap; candidates: "
                    + String.join(", ", candidates.subList(0, Math.min(20, candidates.size())))
                    + (candidates.size() > 20 ? ", ..." : ""));
        }
        return in;
    }

    /** Refuses a graph over {@link #MAX_NODES} nodes or {@link #MAX_DEPTH} deep, in time linear in its size. */
    private static void checkSize(Graph g, String source) {
        if (g.nodes().size() > MAX_NODES) {
            throw fail(source, "has " + g.nodes().size() + " nodes; at most " + MAX_NODES + " can be imported (an image"
                    + " classifier has a few hundred)");
        }
        // nodes come in topological order: a node's depth is one more than its deepest input's
        Map<String, Integer> depth = new HashMap<>();
        int deepest = 0;
        for (Node n : g.nodes()) {
            int d = 1 + n.inputs().stream().mapToInt(i -> depth.getOrDefault(i, 0)).max().orElse(0);
            n.outputs().forEach(o -> depth.put(o, d));
            deepest = Math.max(deepest, d);
        }
        if (deepest > MAX_DEPTH) {
            throw fail(source, "is " + deepest + " nodes deep (its longest chain of nodes); at most " + MAX_DEPTH
                    + " can be imported");
        }
    }

    private static String names(List<Value> vs) {
        return vs.stream().map(Value::name).toList().toString();
    }

    private static String describe(List<Value> vs) {
        return vs.stream().map(v -> v.name() + " " + v.dtype() + v.shape()).toList().toString();
    }

    static IllegalArgumentException fail(String source, String what) {
        return new IllegalArgumentException("model file " + source + " " + what);
    }
}
