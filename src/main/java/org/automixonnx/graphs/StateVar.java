package org.automixonnx.graphs;

import org.automixonnx.onnx.Tensor;
import org.automixonnx.onnx.Value;

/**
 * One piece of carried state while a graph is being built: its graph input (or initializer), its
 * initial value, and the value that currently holds it. {@code current} moves forward when a layer
 * updates the state (a BatchNorm's running mean after a train-mode pass), so that a second pass through
 * the same layer in the same graph continues from the first pass's result; the last update becomes the
 * {@code name.next} output.
 */
public final class StateVar {
    private final String name;
    private final Role role;
    private final Value input;
    private final Tensor initial;
    private Value current;
    private Value next;

    StateVar(String name, Role role, Value input, Tensor initial) {
        this.name = name;
        this.role = role;
        this.input = input;
        this.initial = initial;
        this.current = input;
    }

    public String name() {
        return name;
    }

    public Role role() {
        return role;
    }

    /** The graph input (or, in export mode, initializer) holding the value at the start of the step. */
    public Value input() {
        return input;
    }

    public Tensor initial() {
        return initial;
    }

    /** The latest value of this state in the graph built so far. */
    public Value current() {
        return current;
    }

    /** The updated value (the {@code name.next} output), or null when nothing updated it. */
    public Value next() {
        return next;
    }

    void update(Value v) {
        if (!v.dtype().equals(input.dtype()) || !v.shape().equals(input.shape())) {
            throw new IllegalArgumentException("update of state '" + name + "' has type " + v + ", the state is "
                    + input);
        }
        current = v;
        next = v;
    }
}
