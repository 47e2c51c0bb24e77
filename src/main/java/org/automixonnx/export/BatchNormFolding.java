package org.automixonnx.export;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.automixonnx.onnx.Graph;
import org.automixonnx.onnx.Model;
import org.automixonnx.onnx.Node;
import org.automixonnx.onnx.Shape;
import org.automixonnx.onnx.Tensor;

/**
 * Merges inference BatchNorm into the preceding convolution. After {@link ConstantFolding}, an inference BN is
 * {@code Add(Mul(conv, scale), shift)} with per-channel constants of shape [1, C, 1, 1]; when the conv's output
 * feeds only that Mul and the Mul only that Add, the three become one Conv with weight {@code W[o] * scale[o]}
 * and bias {@code b[o] * scale[o] + shift[o]}. Anything else is left as it is.
 */
final class BatchNormFolding {
    private BatchNormFolding() {
    }

    static Model fold(Model model) {
        Model m = ConstantFolding.fold(model);
        Graph g = m.graph();
        Map<String, List<Node>> consumers = g.consumers();
        Map<String, Node> producer = new HashMap<>();
        g.nodes().forEach(n -> n.outputs().forEach(o -> producer.put(o, n)));
        Map<String, Tensor> inits = new LinkedHashMap<>(g.initializers());
        Map<Node, Node> replace = new HashMap<>();
        List<Node> drop = new ArrayList<>();
        for (Node conv : g.nodes()) {
            if (!conv.opType().equals("Conv") || !inits.containsKey(conv.input(1))
                    || (conv.hasInput(2) && !inits.containsKey(conv.input(2)))
                    || consumers.getOrDefault(conv.input(1), List.of()).size() != 1) {
                continue;
            }
            Node mul = only(consumers, conv.output(0), "Mul");
            Node add = mul == null ? null : only(consumers, mul.output(0), "Add");
            if (add == null || isGraphOutput(g, conv.output(0)) || isGraphOutput(g, mul.output(0))) {
                continue;
            }
            Tensor w = inits.get(conv.input(1));
            long cout = w.shape().dim(0);
            float[] scale = perChannel(inits.get(other(mul, conv.output(0))), cout);
            float[] shift = perChannel(inits.get(other(add, mul.output(0))), cout);
            if (scale == null || shift == null) {
                continue;
            }
            float[] wv = w.floats();
            int per = (int) (wv.length / cout);
            for (int o = 0; o < cout; o++) {
                for (int i = 0; i < per; i++) {
                    wv[o * per + i] *= scale[o];
                }
            }
            float[] bias = conv.hasInput(2) ? inits.get(conv.input(2)).floats() : new float[(int) cout];
            for (int o = 0; o < cout; o++) {
                bias[o] = bias[o] * scale[o] + shift[o];
            }
            String wName = conv.input(1);
            String bName = conv.hasInput(2) ? conv.input(2) : wName.replaceAll("weight$", "") + "folded_bias";
            inits.put(wName, Tensor.ofFloats(w.shape(), wv));
            inits.put(bName, Tensor.ofFloats(Shape.of(cout), bias));
            replace.put(conv, new Node(conv.name(), "Conv", conv.domain(), List.of(conv.input(0), wName, bName),
                    List.of(add.output(0)), conv.attributes()));
            drop.add(mul);
            drop.add(add);
        }
        List<Node> nodes = new ArrayList<>();
        for (Node n : g.nodes()) {
            if (!drop.contains(n)) {
                nodes.add(replace.getOrDefault(n, n));
            }
        }
        return new Model(GraphRewrite.of(g, nodes, inits, Map.of()), m.opset(), m.metadata());
    }

    private static Node only(Map<String, List<Node>> consumers, String value, String opType) {
        List<Node> c = consumers.getOrDefault(value, List.of());
        return c.size() == 1 && c.get(0).opType().equals(opType) ? c.get(0) : null;
    }

    private static String other(Node binary, String known) {
        return binary.input(0).equals(known) ? binary.input(1) : binary.input(0);
    }

    private static boolean isGraphOutput(Graph g, String name) {
        return g.outputs().stream().anyMatch(o -> o.name().equals(name));
    }

    /** The values of a [C] or [1, C, 1, 1] float constant, or null when it is not per-channel. */
    private static float[] perChannel(Tensor t, long c) {
        if (t == null || t.numel() != c || t.dtype() != org.automixonnx.onnx.DType.FLOAT) {
            return null;
        }
        long[] d = t.shape().dims();
        boolean channelAxis = d.length == 4 && d[0] == 1 && d[1] == c && d[2] == 1 && d[3] == 1;
        return channelAxis ? t.floats() : null;
    }
}
