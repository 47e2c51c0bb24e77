package org.automixonnx.runtime;

import ai.onnxruntime.OrtException;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.automixonnx.graphs.GraphIo;
import org.automixonnx.graphs.StepGraph;
import org.automixonnx.onnx.Tensor;

/**
 * Runs a train-step graph over and over without allocating tensors per step.
 *
 * <p>Two state sets A and B hold every state tensor in direct buffers. A step feeds set A and has ORT
 * write each {@code name.next} output straight into B's buffer (pinned outputs); the next step feeds B
 * and writes into A, and so on (ping-pong). State the graph reads but never updates lives in one buffer
 * shared by both sets. Batch inputs, hyper-parameters and loss/metric outputs each have one direct
 * buffer, wrapped once in an ORT tensor at construction: the caller fills {@link #floatInput}/
 * {@link #longInput} before each {@link #step()} and reads {@link #result} after it.
 *
 * <p>A step in the split form ({@link StepGraph#optimizerStep()}) runs its gradient graph, hands the gradient
 * buffers to the {@link GradientExchange}, then runs the optimizer graph on them. Both graphs share the two state
 * sets (the gradient graph writes the BatchNorm statistics' {@code .next}, the optimizer graph the parameters' and
 * its own state's) and one buffer per input name, so a hyper-parameter both read is set once.
 */
public final class TrainStepRunner implements AutoCloseable {
    private final StepGraph graph;
    private final StepLayout layout;
    private final GradientExchange exchange;
    private final StateStore[] sets = new StateStore[2];
    private final Map<String, DirectTensor> feeds = new LinkedHashMap<>();
    private final Map<String, DirectTensor> gradients = new LinkedHashMap<>();
    private final Map<String, DirectTensor> results = new LinkedHashMap<>();
    /** The graphs one step runs, in order: the fused step, or the gradient graph then the optimizer graph. */
    private final List<BoundGraph> runs = new ArrayList<>(2);
    private final BufferViews views = new BufferViews();
    private int current;
    private long steps;

    /** @param exchange what a split step does with its gradients before the optimizer graph applies them */
    public TrainStepRunner(StepGraph graph, SessionFactory factory, GradientExchange exchange) {
        this.graph = graph;
        this.exchange = exchange;
        List<StepLayout> layouts = graph.runs().stream().map(StepLayout::new).toList();
        this.layout = layouts.get(0);
        sets[0] = StateStore.of(initialState(graph.runs(), layouts));
        sets[1] = sets[0].twin(readOnlyState(layouts));
        for (StepLayout l : layouts) {
            l.data().forEach(io -> buffer(feeds, io));
            l.hyperParameters().forEach(io -> buffer(feeds, io));
            l.gradients().forEach(io -> buffer(gradients, io));
            l.results().forEach(io -> buffer(results, io));
        }
        try {
            for (int i = 0; i < layouts.size(); i++) {
                runs.add(new BoundGraph(graph.runs().get(i), layouts.get(i), factory, sets, this::buffer, views));
            }
        } catch (OrtException e) {
            close();
            throw new IllegalStateException("ONNX Runtime could not wrap the buffers of step graph '" + graph.name()
                    + "': " + e.getMessage(), e);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    public TrainStepRunner(StepGraph graph, SessionFactory factory) {
        this(graph, factory, GradientExchange.LOCAL);
    }

    public TrainStepRunner(StepGraph graph) {
        this(graph, SessionFactory.cpu());
    }

    /**
     * Every state tensor of the step's graphs with its initial value, in the order the graphs first name them; a
     * tensor in two graphs must have one type and shape there.
     */
    private static Map<String, Tensor> initialState(List<StepGraph> graphs, List<StepLayout> layouts) {
        Map<String, Tensor> initial = new LinkedHashMap<>();
        for (int i = 0; i < graphs.size(); i++) {
            for (GraphIo io : layouts.get(i).state()) {
                Tensor t = graphs.get(i).initialState().get(io.name());
                Tensor before = initial.putIfAbsent(io.name(), t);
                if (before != null && (before.dtype() != t.dtype() || !before.shape().equals(t.shape()))) {
                    throw new IllegalArgumentException("state '" + io.name() + "' is " + t.dtype() + t.shape()
                            + " in graph '" + graphs.get(i).name() + "' and " + before.dtype() + before.shape()
                            + " in an earlier graph of the step");
                }
            }
        }
        return initial;
    }

    /**
     * The state no graph of the step updates (one buffer for both sets). Two graphs may not update one tensor: both
     * would write its next value into the same buffer, each from its value before the step, so the later would undo
     * the earlier.
     */
    private static Set<String> readOnlyState(List<StepLayout> layouts) {
        Set<String> readOnly = new LinkedHashSet<>();
        Set<String> updated = new HashSet<>();
        for (StepLayout l : layouts) {
            l.state().forEach(io -> readOnly.add(io.name()));
            for (String name : l.updated()) {
                if (!updated.add(name)) {
                    throw new IllegalArgumentException("state '" + name + "' is updated by two graphs of the step");
                }
            }
        }
        readOnly.removeAll(updated);
        return readOnly;
    }

    /** The one buffer of {@code io} in {@code buffers}, made when first named. */
    private static void buffer(Map<String, DirectTensor> buffers, GraphIo io) {
        DirectTensor t = buffers.computeIfAbsent(io.name(), n -> new DirectTensor(n, io.dtype(), io.shape()));
        if (t.dtype() != io.dtype() || !t.shape().equals(io.shape())) {
            throw new IllegalArgumentException("'" + io.name() + "' is " + io.dtype() + io.shape() + " in one graph "
                    + "of the step and " + t.dtype() + t.shape() + " in another");
        }
    }

    /** The buffer of an input or output that is not state. */
    private DirectTensor buffer(String name) {
        DirectTensor t = feeds.get(name);
        if (t == null) {
            t = gradients.get(name);
        }
        return t != null ? t : resultTensor(name);
    }

    /**
     * Runs one step: reads the current state, batch and hyper-parameters; the updated state becomes current. In the
     * split form the exchange sees the gradients between the two graphs.
     */
    public void step() {
        runs.get(0).run(current, steps);
        if (runs.size() > 1) {
            exchange.average(gradients.values());
            runs.get(1).run(current, steps);
        }
        current = 1 - current;
        steps++;
    }

    /** The buffer of a batch input or hyper-parameter. */
    public DirectTensor input(String name) {
        DirectTensor t = feeds.get(name);
        if (t == null) {
            throw new IllegalArgumentException("step graph '" + graph.name() + "' has no data or hyper-parameter input '"
                    + name + "'; it has " + feeds.keySet());
        }
        return t;
    }

    /** The float buffer to fill with a batch input (e.g. images {@code x}), positioned at 0. */
    public FloatBuffer floatInput(String name) {
        return input(name).floats();
    }

    /** The int64 buffer to fill with a batch input (labels {@code y}, permutation {@code perm}), positioned at 0. */
    public LongBuffer longInput(String name) {
        return input(name).longs();
    }

    /** The raw bytes of a batch input of any type (e.g. bool masks), positioned at 0. */
    public ByteBuffer byteInput(String name) {
        return input(name).bytes();
    }

    /** Sets a hyper-parameter (every element, converted to its type) for the following steps. */
    public void setHyper(String name, double value) {
        input(name).fill(value);
    }

    /** Element 0 of a loss or metric output of the last step, as float. */
    public float result(String name) {
        return (float) resultTensor(name).scalarValue();
    }

    /** The buffer a loss or metric output is written to (overwritten by every step). */
    public DirectTensor resultTensor(String name) {
        DirectTensor t = results.get(name);
        if (t == null) {
            throw new IllegalArgumentException("step graph '" + graph.name() + "' has no loss/metric output '" + name
                    + "'; it has " + results.keySet());
        }
        return t;
    }

    /** Names of the loss and metric outputs. */
    public Set<String> resultNames() {
        return Collections.unmodifiableSet(results.keySet());
    }

    /**
     * The latest state: what the next step will read. Writing into it (e.g. an EMA update of read-only
     * teacher weights, or loading a checkpoint) changes what the next step sees. The object returned
     * alternates between the two sets, so fetch it again after each step.
     */
    public StateStore state() {
        return sets[current];
    }

    /** Copies the latest state into {@code target} (which must hold the same names, types and shapes). */
    public void syncTo(StateStore target) {
        target.copyFrom(state());
    }

    /** Replaces the latest state with the contents of {@code source} (e.g. a checkpoint). */
    public void loadFrom(StateStore source) {
        state().copyFrom(source);
    }

    /**
     * Stops ORT's profiler (when the session factory enabled it) for the step's first graph, the whole step in the
     * fused form, and returns the profile file's path; a split step's optimizer graph writes its profile on close.
     */
    public String endProfiling() {
        return runs.get(0).endProfiling();
    }

    /** The layout of the step's first graph: the whole step in the fused form, the gradient graph in the split. */
    public StepLayout layout() {
        return layout;
    }

    public StepGraph graph() {
        return graph;
    }

    /** The gradient buffers of a split step, by name (empty for a fused step); the exchange averages these. */
    public Map<String, DirectTensor> gradients() {
        return Collections.unmodifiableMap(gradients);
    }

    /** Number of steps run so far. */
    public long steps() {
        return steps;
    }

    @Override
    public void close() {
        views.close();
        runs.forEach(BoundGraph::close);
    }
}
