package org.automixonnx.runtime;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.automixonnx.graphs.GraphIo;
import org.automixonnx.graphs.StepGraph;
import org.automixonnx.onnx.OnnxIO;
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
 */
public final class TrainStepRunner implements AutoCloseable {
    private final StepGraph graph;
    private final StepLayout layout;
    private final OrtSession session;
    private final GraphRunTimes runTimes;
    private final StateStore[] sets = new StateStore[2];
    private final Map<String, DirectTensor> feeds = new LinkedHashMap<>();
    private final Map<String, DirectTensor> results = new LinkedHashMap<>();
    /** Per set k: the inputs to feed when set k is current, and the pinned outputs (into set 1-k). */
    private final List<Map<String, OnnxTensor>> inputsWhenCurrent = new ArrayList<>(2);
    private final List<Map<String, OnnxTensor>> outputsWhenCurrent = new ArrayList<>(2);
    private final BufferViews views = new BufferViews();
    private int current;
    private long steps;

    public TrainStepRunner(StepGraph graph, SessionFactory factory) {
        this.graph = graph;
        this.layout = new StepLayout(graph);
        this.runTimes = factory.runTimes();
        Map<String, Tensor> initial = new LinkedHashMap<>();
        layout.state().forEach(io -> initial.put(io.name(), graph.initialState().get(io.name())));
        sets[0] = StateStore.of(initial);
        sets[1] = sets[0].twin(layout.readOnlyState());
        for (GraphIo io : layout.data()) {
            feeds.put(io.name(), new DirectTensor(io.name(), io.dtype(), io.shape()));
        }
        for (GraphIo io : layout.hyperParameters()) {
            feeds.put(io.name(), new DirectTensor(io.name(), io.dtype(), io.shape()));
        }
        for (GraphIo io : layout.results()) {
            results.put(io.name(), new DirectTensor(io.name(), io.dtype(), io.shape()));
        }
        try {
            this.session = factory.create(OnnxIO.toBytes(graph.model()), graph.name());
            bindOrtTensors();
        } catch (OrtException e) {
            close();
            throw new IllegalStateException("ONNX Runtime rejected step graph '" + graph.name() + "': "
                    + e.getMessage(), e);
        }
    }

    public TrainStepRunner(StepGraph graph) {
        this(graph, SessionFactory.cpu());
    }

    /** Wraps every buffer in an ORT tensor once and builds the two feed/pinned-output maps. */
    private void bindOrtTensors() throws OrtException {
        Map<String, OnnxTensor> fixedFeeds = new HashMap<>();
        for (DirectTensor t : feeds.values()) {
            fixedFeeds.put(t.name(), views.of(t));
        }
        Map<String, OnnxTensor> fixedOutputs = new HashMap<>();
        for (DirectTensor t : results.values()) {
            fixedOutputs.put(t.name(), views.of(t));
        }
        for (int k = 0; k < 2; k++) {
            Map<String, OnnxTensor> in = new HashMap<>(fixedFeeds);
            for (DirectTensor t : sets[k].tensors()) {
                in.put(t.name(), views.of(t));
            }
            Map<String, OnnxTensor> out = new HashMap<>(fixedOutputs);
            for (String name : layout.updated()) {
                out.put(GraphIo.next(name), views.of(sets[1 - k].tensor(name)));
            }
            inputsWhenCurrent.add(Map.copyOf(in));
            outputsWhenCurrent.add(Map.copyOf(out));
        }
    }

    /** Runs one step: reads the current state, batch and hyper-parameters; the updated state becomes current. */
    public void step() {
        long started = System.nanoTime();
        try {
            // Every output is pinned, so the Result owns nothing; closing it frees no tensor.
            session.run(inputsWhenCurrent.get(current), outputsWhenCurrent.get(current)).close();
            runTimes.add(graph.name(), System.nanoTime() - started);
        } catch (OrtException e) {
            throw new IllegalStateException("train step " + steps + " of '" + graph.name() + "' failed: "
                    + e.getMessage(), e);
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

    /** Stops ORT's profiler (when the session factory enabled it) and returns the profile file's path. */
    public String endProfiling() {
        try {
            return session.endProfiling();
        } catch (OrtException e) {
            throw new IllegalStateException("could not end profiling: " + e.getMessage(), e);
        }
    }

    public StepLayout layout() {
        return layout;
    }

    public StepGraph graph() {
        return graph;
    }

    /** Number of steps run so far. */
    public long steps() {
        return steps;
    }

    @Override
    public void close() {
        views.close();
        if (session != null) {
            try {
                session.close();
            } catch (OrtException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
