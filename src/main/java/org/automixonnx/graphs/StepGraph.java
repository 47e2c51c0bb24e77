package org.automixonnx.graphs;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.automixonnx.onnx.Model;
import org.automixonnx.onnx.Tensor;

/**
 * A generated graph with its interface: an ONNX model plus the role of every input and output and the
 * initial values of its state. Train steps map {@code (state, batch, hyper-params) -> (losses, metrics,
 * state.next)}; evaluation graphs have state inputs but no {@code .next} outputs. A train step in the
 * {@link StepForm#SPLIT split form} is its gradient graph carrying its {@link #optimizerStep() optimizer graph}.
 */
public final class StepGraph {
    private final Model model;
    private final List<GraphIo> inputs;
    private final List<GraphIo> outputs;
    private final Map<String, Tensor> initialState;
    private final StepGraph optimizerStep;

    public StepGraph(Model model, List<GraphIo> inputs, List<GraphIo> outputs, Map<String, Tensor> initialState) {
        this(model, inputs, outputs, initialState, null);
    }

    /** @param optimizerStep the graph that applies this gradient graph's gradients, or null (fused or no training) */
    public StepGraph(Model model, List<GraphIo> inputs, List<GraphIo> outputs, Map<String, Tensor> initialState,
            StepGraph optimizerStep) {
        this.model = model;
        this.inputs = List.copyOf(inputs);
        this.outputs = List.copyOf(outputs);
        this.initialState = Collections.unmodifiableMap(new LinkedHashMap<>(initialState));
        this.optimizerStep = optimizerStep;
    }

    public Model model() {
        return model;
    }

    public String name() {
        return model.graph().name();
    }

    public List<GraphIo> inputs() {
        return inputs;
    }

    public List<GraphIo> outputs() {
        return outputs;
    }

    /** Initial values of every state input (parameters as initialised, zero optimizer buffers, BN stats). */
    public Map<String, Tensor> initialState() {
        return initialState;
    }

    /**
     * In the split form, the optimizer graph that takes this gradient graph's gradients (and the parameters and
     * optimizer state) and gives the parameters' and optimizer state's {@code .next}; empty for any other graph.
     */
    public Optional<StepGraph> optimizerStep() {
        return Optional.ofNullable(optimizerStep);
    }

    /** The graphs one step runs, in order: this one, then its optimizer step if it has one. */
    public List<StepGraph> runs() {
        return optimizerStep == null ? List.of(this) : List.of(this, optimizerStep);
    }

    public List<GraphIo> inputsWithRole(Role r) {
        return inputs.stream().filter(io -> io.role() == r).toList();
    }

    public List<GraphIo> stateInputs() {
        return inputs.stream().filter(io -> io.role().isState()).toList();
    }

    /** State inputs that this graph updates (have a {@code .next} output). */
    public List<GraphIo> updatedState() {
        java.util.Set<String> outs = new java.util.HashSet<>();
        outputs.forEach(o -> outs.add(o.name()));
        return stateInputs().stream().filter(io -> outs.contains(GraphIo.next(io.name()))).toList();
    }
}
