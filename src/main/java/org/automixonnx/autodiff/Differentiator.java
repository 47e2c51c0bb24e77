package org.automixonnx.autodiff;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.automixonnx.onnx.Composite;
import org.automixonnx.onnx.DType;
import org.automixonnx.onnx.GraphBuilder;
import org.automixonnx.onnx.Node;
import org.automixonnx.onnx.OnnxException;
import org.automixonnx.onnx.Ops;
import org.automixonnx.onnx.Value;

/**
 * Reverse-mode differentiation of the graph held by a {@link GraphBuilder}; the backward nodes are
 * appended to the same builder so that forward and backward run as one ONNX graph.
 *
 * <p>Only the work that matters is emitted: a node is differentiated when one of its outputs depends
 * on the loss seeds and one of its inputs depends on a value we want the gradient of. Values listed as
 * "detached" block gradient flow (like {@code torch.detach}). Values that are merely not requested —
 * e.g. the frozen teacher's parameters — get no gradient, yet gradient still flows through the nodes
 * that use them to whatever requested value lies upstream.
 */
public final class Differentiator {
    private final GraphBuilder b;
    private final Ops ops;
    private final GradientRegistry registry;
    private final Set<String> detached = new HashSet<>();

    public Differentiator(GraphBuilder b, GradientRegistry registry) {
        this.b = b;
        this.ops = new Ops(b);
        this.registry = registry;
    }

    public Differentiator(GraphBuilder b) {
        this(b, GradientRegistry.standard());
    }

    /** Gradient flow stops at these values (they are treated as constants by the backward pass). */
    public Differentiator detach(Collection<Value> values) {
        values.forEach(v -> detached.add(v.name()));
        return this;
    }

    /** Gradients of the scalar {@code loss} with respect to each value in {@code wrt} (same order). */
    public Map<Value, Value> gradients(Value loss, Collection<Value> wrt) {
        if (loss.rank() != 0 && !(loss.shape().isStatic() && loss.shape().numel() == 1)) {
            throw new OnnxException("loss '" + loss.name() + "' must be a scalar, has shape " + loss.shape());
        }
        Value seed = ops.constant(org.automixonnx.onnx.Tensor.filled(loss.shape(), 1f));
        return gradients(Map.of(loss, seed), wrt);
    }

    /** Vector-Jacobian product: gradients of {@code sum_i <seed_i, output_i>} with respect to {@code wrt}. */
    public Map<Value, Value> gradients(Map<Value, Value> seeds, Collection<Value> wrt) {
        Map<String, Node> producerOf = new HashMap<>();
        List<Node> nodes = new ArrayList<>(b.nodes());
        for (Node n : nodes) {
            for (String o : n.outputs()) {
                producerOf.put(o, n);
            }
        }
        Set<String> requires = forwardReach(nodes, wrt);
        Set<String> contributes = backwardReach(nodes, producerOf, seeds.keySet());

        Map<String, List<Value>> pending = new LinkedHashMap<>();
        for (Map.Entry<Value, Value> s : seeds.entrySet()) {
            pending.computeIfAbsent(s.getKey().name(), k -> new ArrayList<>()).add(s.getValue());
        }
        Map<String, Composite> compositeOf = new HashMap<>();
        for (Composite c : b.composites()) {
            c.outputs().forEach(o -> compositeOf.put(o.name(), c));
        }
        Set<Composite> done = new HashSet<>();
        for (int idx = nodes.size() - 1; idx >= 0; idx--) {
            Node n = nodes.get(idx);
            Composite comp = n.outputs().stream().map(compositeOf::get).filter(c -> c != null).findFirst().orElse(null);
            if (comp != null) {
                // The composite's own rule replaces the rules of the nodes inside it; those nodes then
                // receive no gradient and are skipped.
                if (done.add(comp)) {
                    Map<String, Object> attrs = comp.attributes();
                    Node synthetic = new Node(n.name() + "/" + comp.type(), comp.type(), "",
                            comp.inputs().stream().map(Value::name).toList(),
                            comp.outputs().stream().map(Value::name).toList(), wrap(attrs));
                    backwardStep(synthetic, comp.inputs(), comp.outputs(), comp.saved(), requires, pending);
                }
                continue;
            }
            if (!contributesAny(n, contributes) || registry.isNonDifferentiable(n.opType())) {
                continue;
            }
            List<Value> ins = new ArrayList<>();
            for (String in : n.inputs()) {
                ins.add(in.isEmpty() ? null : b.value(in));
            }
            List<Value> outs = n.outputs().stream().map(o -> o.isEmpty() ? null : b.value(o)).toList();
            backwardStep(n, ins, outs, Map.of(), requires, pending);
        }
        Map<Value, Value> result = new LinkedHashMap<>();
        for (Value w : wrt) {
            Value g = accumulated(pending, w.name());
            result.put(w, g != null ? g : zerosLike(w));
        }
        return result;
    }

    /** Runs one node's (or composite's) rule when it has an output gradient and an input that needs one. */
    private void backwardStep(Node n, List<Value> ins, List<Value> outs, Map<String, Value> saved, Set<String> requires,
            Map<String, List<Value>> pending) {
        boolean[] needs = new boolean[ins.size()];
        boolean any = false;
        for (int i = 0; i < needs.length; i++) {
            Value in = ins.get(i);
            needs[i] = in != null && requires.contains(in.name()) && !detached.contains(in.name());
            any |= needs[i];
        }
        if (!any) {
            return;
        }
        List<Value> outGrads = new ArrayList<>();
        boolean anyGrad = false;
        for (Value o : outs) {
            Value g = o == null ? null : accumulated(pending, o.name());
            outGrads.add(g);
            anyGrad |= g != null;
        }
        if (!anyGrad) {
            return;
        }
        GradContext ctx = new GradContext(n, ins, outs, outGrads, needs, ops, saved);
        try (GraphBuilder.Scope s = b.scope("grad")) {
            registry.rule(n).backward(ctx);
        }
        Value[] ig = ctx.inputGrads();
        for (int i = 0; i < ig.length; i++) {
            if (ig[i] != null) {
                pending.computeIfAbsent(ins.get(i).name(), k -> new ArrayList<>()).add(ig[i]);
            } else if (needs[i] && !isIntegral(ins.get(i))) {
                throw ctx.fail("rule produced no gradient for needed input " + i + " ('" + ins.get(i).name() + "')");
            }
        }
    }

    private static Map<String, org.automixonnx.onnx.Attribute> wrap(Map<String, Object> attrs) {
        Map<String, org.automixonnx.onnx.Attribute> out = new LinkedHashMap<>();
        attrs.forEach((k, v) -> out.put(k, org.automixonnx.onnx.Attribute.wrap(v)));
        return out;
    }

    private static boolean isIntegral(Value v) {
        return v.dtype() != DType.FLOAT && v.dtype() != DType.DOUBLE;
    }

    /** Sums the contributions to a value's gradient into one value (fan-out), caching the sum. */
    private Value accumulated(Map<String, List<Value>> pending, String name) {
        List<Value> parts = pending.get(name);
        if (parts == null || parts.isEmpty()) {
            return null;
        }
        if (parts.size() > 1) {
            // a chain of Adds rather than one Sum: ORT's CPU Sum runs on one thread, Add on all of them
            Value sum = parts.get(0);
            for (Value part : parts.subList(1, parts.size())) {
                sum = ops.add(sum, part);
            }
            parts.clear();
            parts.add(sum);
        }
        return parts.get(0);
    }

    private Value zerosLike(Value w) {
        return ops.expand(ops.scalar(0f), w.shape().dims());
    }

    private Set<String> forwardReach(List<Node> nodes, Collection<Value> wrt) {
        Set<String> req = new HashSet<>();
        for (Value w : wrt) {
            req.add(w.name());
        }
        for (Node n : nodes) {
            if (registry.isNonDifferentiable(n.opType())) {
                continue;
            }
            boolean any = false;
            for (String in : n.inputs()) {
                if (!in.isEmpty() && req.contains(in) && !detached.contains(in)) {
                    any = true;
                    break;
                }
            }
            if (any) {
                for (String o : n.outputs()) {
                    if (!o.isEmpty() && !isIntegral(b.value(o))) {
                        req.add(o);
                    }
                }
            }
        }
        return req;
    }

    private static Set<String> backwardReach(List<Node> nodes, Map<String, Node> producerOf, Collection<Value> seeds) {
        Set<String> reach = new HashSet<>();
        List<String> stack = new ArrayList<>();
        for (Value s : seeds) {
            stack.add(s.name());
        }
        while (!stack.isEmpty()) {
            String v = stack.remove(stack.size() - 1);
            if (!reach.add(v)) {
                continue;
            }
            Node p = producerOf.get(v);
            if (p != null) {
                for (String in : p.inputs()) {
                    if (!in.isEmpty()) {
                        stack.add(in);
                    }
                }
            }
        }
        return reach;
    }

    private static boolean contributesAny(Node n, Set<String> contributes) {
        return n.outputs().stream().anyMatch(contributes::contains);
    }

    @Override
    public String toString() {
        return "Differentiator(detached=" + Arrays.toString(detached.toArray()) + ")";
    }
}
