package org.automixonnx.graphs;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.automixonnx.onnx.DType;
import org.automixonnx.onnx.GraphBuilder;
import org.automixonnx.onnx.Model;
import org.automixonnx.onnx.Ops;
import org.automixonnx.onnx.Shape;
import org.automixonnx.onnx.Tensor;
import org.automixonnx.onnx.Value;

/**
 * Everything a model, a loss or an optimizer needs while it writes itself into a graph: the builder,
 * the {@link Mode}, a seeded random source for initial values, and the registry of the graph's
 * interface (data, hyper-parameters, state with roles and initial values, outputs with roles).
 *
 * <p>State names are module paths: a layer opens builder scopes ({@code layer1}, {@code 0}, {@code conv1})
 * and asks for {@code weight}, which becomes {@code layer1.0.conv1.weight}, exactly torchvision's name.
 * Asking twice for the same name returns the same state, so a network can run twice in one graph.
 *
 * <p>The {@link StepForm} says whether a train step built here updates its parameters itself (fused) or gives
 * their gradients and carries the optimizer graph that updates them (split); {@link ParameterUpdate} reads it.
 */
public final class BuildContext {
    private final GraphBuilder b;
    private final Ops ops;
    private final Mode mode;
    private final Random random;
    private final Map<String, Tensor> loaded = new LinkedHashMap<>();
    private final Map<String, StateVar> state = new LinkedHashMap<>();
    private final List<GraphIo> inputs = new ArrayList<>();
    private final List<GraphIo> outputs = new ArrayList<>();
    private final Map<String, Value> hyperParameters = new LinkedHashMap<>();
    private final Map<String, Value> taps = new LinkedHashMap<>();
    private final Map<String, UnaryOperator<Value>> tapHooks = new LinkedHashMap<>();
    private ConvLowering convLowering = ConvLowering.AUTO;
    private StepForm form = StepForm.FUSED;
    private StepGraph optimizerStep;

    public BuildContext(GraphBuilder b, Mode mode, long seed) {
        this.b = b;
        this.ops = new Ops(b);
        this.mode = mode;
        this.random = new Random(seed);
    }

    public GraphBuilder builder() {
        return b;
    }

    public Ops ops() {
        return ops;
    }

    public Mode mode() {
        return mode;
    }

    public ConvLowering convLowering() {
        return convLowering;
    }

    /** How training-mode layers write their convolutions (default {@link ConvLowering#AUTO}). */
    public BuildContext convLowering(ConvLowering lowering) {
        this.convLowering = lowering;
        return this;
    }

    public StepForm form() {
        return form;
    }

    /** How a train step built here applies its optimizer (default {@link StepForm#FUSED}). */
    public BuildContext form(StepForm f) {
        this.form = f;
        return this;
    }

    /** Use these values instead of drawing initial values (e.g. a checkpoint, a reference fixture). */
    public BuildContext load(Map<String, Tensor> values) {
        loaded.putAll(values);
        return this;
    }

    /** The dotted module path of the current builder scope joined with {@code local}. */
    public String qualify(String local) {
        String p = b.prefix();
        return p.isEmpty() ? local : p + "." + local;
    }

    // ------------------------------------------------------------------ inputs

    public Value data(String name, DType dtype, Shape shape) {
        return input(name, Role.DATA, dtype, shape);
    }

    /** A float scalar fed each step (learning rate, momentum, ...); one input per name. */
    public Value hyperParameter(String name) {
        return hyperParameters.computeIfAbsent(name, n -> input(n, Role.HYPER_PARAMETER, DType.FLOAT, Shape.SCALAR));
    }

    /** The gradient an optimizer graph applies to {@code param}: input {@link GraphIo#gradient}, typed as param. */
    public Value gradient(StateVar param) {
        return input(GraphIo.gradient(param.name()), Role.GRADIENT, param.input().dtype(), param.input().shape());
    }

    private Value input(String name, Role role, DType dtype, Shape shape) {
        Value v = b.input(name, dtype, shape);
        inputs.add(new GraphIo(name, role, dtype, shape));
        return v;
    }

    /** A trainable tensor named {@code qualify(local)}; returns its current value. */
    public Value parameter(String local, Shape shape, Initializer init) {
        return state(qualify(local), Role.PARAMETER, DType.FLOAT, shape, init).current();
    }

    /**
     * The state called {@code name}, created on first use: a graph input (an initializer in EXPORT mode)
     * whose initial value is the loaded one if any, else drawn by {@code init}.
     */
    public StateVar state(String name, Role role, DType dtype, Shape shape, Initializer init) {
        StateVar existing = state.get(name);
        if (existing != null) {
            if (existing.role() != role || !existing.input().shape().equals(shape)) {
                throw new IllegalArgumentException("state '" + name + "' reused as " + role + shape + ", was "
                        + existing.role() + existing.input().shape());
            }
            return existing;
        }
        Tensor initial = loaded.containsKey(name) ? loaded.get(name) : init.create(shape, random);
        if (initial.dtype() != dtype || !initial.shape().equals(shape)) {
            throw new IllegalArgumentException("initial value of '" + name + "' is " + initial + ", expected "
                    + dtype + shape);
        }
        Value v;
        if (mode == Mode.EXPORT) {
            v = b.initializer(name, initial);
        } else {
            v = input(name, role, dtype, shape);
        }
        StateVar s = new StateVar(name, role, v, initial);
        state.put(name, s);
        return s;
    }

    /** Records the updated value of a state; the last update becomes output {@code name.next}. */
    public void update(StateVar s, Value next) {
        if (mode == Mode.EXPORT) {
            throw new IllegalStateException("an exported graph carries no state updates ('" + s.name() + "')");
        }
        s.update(next);
    }

    public StateVar stateVar(String name) {
        StateVar s = state.get(name);
        if (s == null) {
            throw new IllegalArgumentException("no state named '" + name + "'");
        }
        return s;
    }

    public List<StateVar> states(Role role) {
        return state.values().stream().filter(s -> s.role() == role).toList();
    }

    public List<StateVar> states() {
        return List.copyOf(state.values());
    }

    // ------------------------------------------------------------------ feature taps

    /**
     * Marks a named intermediate feature (e.g. a ResNet stage output {@code l3}); a hook registered for that
     * name may replace it (ManifoldMix mixes there). Returns the value the network continues with.
     */
    public Value tap(String name, Value v) {
        Value out = hooked(name, v);
        taps.put(name, out);
        return out;
    }

    /**
     * Passes {@code v} through the hook of tap {@code name} without recording it: for a part of the hidden state that
     * the tap's map leaves out (a ViT's class token beside its patch-token map), so that a method replacing the tap
     * (ManifoldMix) replaces the whole hidden state alike. {@code v} is shaped as the map is, [N, C, h, w].
     */
    public Value tapAlongside(String name, Value v) {
        return hooked(name, v);
    }

    private Value hooked(String name, Value v) {
        UnaryOperator<Value> hook = tapHooks.get(name);
        return hook == null ? v : hook.apply(v);
    }

    public BuildContext onTap(String name, UnaryOperator<Value> hook) {
        tapHooks.put(name, hook);
        return this;
    }

    public Map<String, Value> taps() {
        return Collections.unmodifiableMap(taps);
    }

    // ------------------------------------------------------------------ outputs and result

    public Value output(Value v, String name, Role role) {
        Value out = b.output(v, name);
        outputs.add(new GraphIo(name, role, out.dtype(), out.shape()));
        return out;
    }

    /** In the split form: the optimizer graph of this step, which {@link #finish()} attaches to the gradient graph. */
    void optimizerStep(StepGraph step) {
        if (optimizerStep != null) {
            throw new IllegalStateException("graph '" + b.graphName() + "' already has an optimizer step; a split step "
                    + "minimises one loss");
        }
        optimizerStep = step;
    }

    /** Adds a {@code name.next} output for every updated state and returns the finished graph with its interface. */
    public StepGraph finish() {
        Map<String, Tensor> initial = new LinkedHashMap<>();
        for (StateVar s : state.values()) {
            initial.put(s.name(), s.initial());
            if (s.next() != null) {
                output(s.next(), GraphIo.next(s.name()), s.role());
            }
        }
        Model model = b.buildModel();
        return new StepGraph(model, inputs, outputs, mode == Mode.EXPORT ? Map.of() : initial, optimizerStep);
    }
}
