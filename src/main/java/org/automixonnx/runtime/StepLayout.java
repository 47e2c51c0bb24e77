package org.automixonnx.runtime;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.automixonnx.graphs.GraphIo;
import org.automixonnx.graphs.Role;
import org.automixonnx.graphs.StepGraph;
import org.automixonnx.onnx.Tensor;
import org.automixonnx.onnx.Value;

/**
 * The inputs and outputs of a step graph sorted by what the runner does with them, after checking that
 * the graph keeps the naming and role contract: every ONNX input/output is described exactly once, state
 * input {@code s} is updated by output {@code s.next} of the same type and shape, every state input has
 * an initial value, and everything that gets a buffer has a static shape. All violations are reported
 * together in one exception. Gradients ({@link Role#GRADIENT}) are outputs of a split step's gradient graph and
 * inputs of its optimizer graph.
 */
public final class StepLayout {
    private final List<GraphIo> state = new ArrayList<>();
    private final Set<String> updated = new LinkedHashSet<>();
    private final List<GraphIo> data = new ArrayList<>();
    private final List<GraphIo> hyper = new ArrayList<>();
    private final List<GraphIo> gradients = new ArrayList<>();
    private final List<GraphIo> results = new ArrayList<>();

    public StepLayout(StepGraph g) {
        List<String> problems = new ArrayList<>();
        checkMatchesModel("input", g.inputs(), g.model().graph().inputs(), problems);
        checkMatchesModel("output", g.outputs(), g.model().graph().outputs(), problems);

        Map<String, GraphIo> stateByName = new HashMap<>();
        for (GraphIo in : g.inputs()) {
            if (in.role().isState()) {
                state.add(in);
                stateByName.put(in.name(), in);
            } else if (in.role() == Role.DATA) {
                data.add(in);
            } else if (in.role() == Role.HYPER_PARAMETER) {
                hyper.add(in);
            } else if (in.role() == Role.GRADIENT) {
                gradients.add(in);
            } else {
                problems.add("input '" + in.name() + "' has role " + in.role() + ", which only outputs can have");
            }
            requireStatic("input", in, problems);
        }
        for (GraphIo out : g.outputs()) {
            GraphIo source = out.name().endsWith(".next")
                    ? stateByName.get(out.name().substring(0, out.name().length() - ".next".length())) : null;
            if (source != null) {
                checkUpdate(source, out, problems);
                updated.add(source.name());
            } else if (out.role().isState()) {
                problems.add("output '" + out.name() + "' has state role " + out.role()
                        + " but is not named <state input>.next");
            } else if (out.role() == Role.GRADIENT) {
                gradients.add(out);
                requireStatic("output", out, problems);
            } else {
                results.add(out);
                requireStatic("output", out, problems);
            }
        }
        checkInitialState(g.initialState(), stateByName, problems);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("step graph '" + g.name() + "' does not follow the step-graph contract:\n  - "
                    + String.join("\n  - ", problems));
        }
    }

    /** All state inputs (parameters, optimizer buffers, BN statistics), in graph order. */
    public List<GraphIo> state() {
        return state;
    }

    /** Names of state inputs that have a {@code .next} output. */
    public Set<String> updated() {
        return updated;
    }

    /** Names of state inputs the graph reads but does not update (e.g. a frozen teacher's parameters). */
    public Set<String> readOnlyState() {
        Set<String> s = new LinkedHashSet<>();
        state.stream().map(GraphIo::name).filter(n -> !updated.contains(n)).forEach(s::add);
        return s;
    }

    public List<GraphIo> data() {
        return data;
    }

    public List<GraphIo> hyperParameters() {
        return hyper;
    }

    /** The gradients the graph gives (a gradient graph's outputs) or takes (an optimizer graph's inputs). */
    public List<GraphIo> gradients() {
        return gradients;
    }

    /** Outputs that are neither state updates nor gradients: losses and metrics. */
    public List<GraphIo> results() {
        return results;
    }

    private static void checkMatchesModel(String kind, List<GraphIo> described, List<Value> actual,
            List<String> problems) {
        Map<String, Value> byName = new HashMap<>();
        actual.forEach(v -> byName.put(v.name(), v));
        Set<String> seen = new HashSet<>();
        for (GraphIo io : described) {
            if (!seen.add(io.name())) {
                problems.add(kind + " '" + io.name() + "' is described twice");
                continue;
            }
            Value v = byName.get(io.name());
            if (v == null) {
                problems.add(kind + " '" + io.name() + "' is described but the ONNX graph has no such " + kind);
            } else if (v.dtype() != io.dtype() || !v.shape().equals(io.shape())) {
                problems.add(kind + " '" + io.name() + "' is described as " + io.dtype() + io.shape()
                        + " but the ONNX graph has " + v.dtype() + v.shape());
            }
        }
        for (Value v : actual) {
            if (!seen.contains(v.name())) {
                problems.add("ONNX graph " + kind + " '" + v.name() + "' has no role (missing from the step graph's "
                        + kind + "s)");
            }
        }
    }

    private static void checkUpdate(GraphIo in, GraphIo out, List<String> problems) {
        if (out.dtype() != in.dtype() || !out.shape().equals(in.shape())) {
            problems.add("state output '" + out.name() + "' is " + out.dtype() + out.shape() + " but its input '"
                    + in.name() + "' is " + in.dtype() + in.shape());
        }
        if (out.role() != in.role()) {
            problems.add("state output '" + out.name() + "' has role " + out.role() + " but its input has role "
                    + in.role());
        }
    }

    private static void checkInitialState(Map<String, Tensor> initial, Map<String, GraphIo> state,
            List<String> problems) {
        for (GraphIo s : state.values()) {
            Tensor t = initial.get(s.name());
            if (t == null) {
                problems.add("state input '" + s.name() + "' has no initial value");
            } else if (t.dtype() != s.dtype() || !t.shape().equals(s.shape())) {
                problems.add("initial value of '" + s.name() + "' is " + t.dtype() + t.shape() + " but the input is "
                        + s.dtype() + s.shape());
            }
        }
        for (String name : initial.keySet()) {
            if (!state.containsKey(name)) {
                problems.add("initial state names '" + name + "', which is not a state input");
            }
        }
    }

    private static void requireStatic(String kind, GraphIo io, List<String> problems) {
        if (!io.shape().isStatic()) {
            problems.add(kind + " '" + io.name() + "' has a dynamic shape " + io.shape()
                    + "; the step runner needs static shapes to pre-allocate its buffers");
        }
    }
}
