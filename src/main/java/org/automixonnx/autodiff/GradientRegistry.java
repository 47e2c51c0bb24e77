package org.automixonnx.autodiff;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.automixonnx.onnx.Node;
import org.automixonnx.onnx.OnnxException;

/**
 * Operator type -> backward rule. {@link #standard()} is the table of every rule automix-onnx ships:
 * it is the one place to look up (or add) how an operator is differentiated.
 */
public final class GradientRegistry {
    private final Map<String, GradientRule> rules = new HashMap<>();
    /** Operators whose outputs carry no gradient (comparisons, shapes, indices): gradients stop there. */
    private final Set<String> nonDifferentiable = new TreeSet<>();

    public GradientRegistry register(String opType, GradientRule rule) {
        if (rules.put(opType, rule) != null) {
            throw new IllegalStateException("two gradient rules for " + opType);
        }
        return this;
    }

    public GradientRegistry nonDifferentiable(String... opTypes) {
        Collections.addAll(nonDifferentiable, opTypes);
        return this;
    }

    public boolean isNonDifferentiable(String opType) {
        return nonDifferentiable.contains(opType);
    }

    public boolean has(String opType) {
        return rules.containsKey(opType);
    }

    public GradientRule rule(Node node) {
        GradientRule r = rules.get(node.opType());
        if (r == null) {
            throw new OnnxException("no gradient rule for operator '" + node.opType() + "' (needed by "
                    + node.describe() + "); supported: " + new TreeSet<>(rules.keySet()));
        }
        return r;
    }

    public Set<String> operators() {
        return Collections.unmodifiableSet(new TreeSet<>(rules.keySet()));
    }

    /** The operators whose outputs carry no gradient. */
    public Set<String> nonDifferentiableOperators() {
        return Collections.unmodifiableSet(nonDifferentiable);
    }

    private static final GradientRegistry STANDARD = StandardRules.register(new GradientRegistry());

    /** The registry with every built-in rule. */
    public static GradientRegistry standard() {
        return STANDARD;
    }
}
