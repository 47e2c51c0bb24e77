package org.automixonnx.runtime;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.automixonnx.graphs.GraphIo;
import org.automixonnx.graphs.StepGraph;

/**
 * One graph of a train step bound to its runner's buffers: its session and, for each of the runner's two state
 * sets, what to feed while that set is current (its state, and the batch, hyper-parameter and gradient buffers) and
 * where ORT writes the outputs (each {@code name.next} into the other set; losses, metrics and gradients into their
 * buffers). Every map is built once, so a run allocates nothing.
 */
final class BoundGraph implements AutoCloseable {
    private final String name;
    private final GraphRunTimes runTimes;
    private final List<Map<String, OnnxTensor>> inputsWhenCurrent = new ArrayList<>(2);
    private final List<Map<String, OnnxTensor>> outputsWhenCurrent = new ArrayList<>(2);
    private final GraphSession session;

    /**
     * @param buffers the runner's buffer of every input and output that is not state, by name
     * @throws IllegalStateException when ORT rejects the graph
     */
    BoundGraph(StepGraph graph, StepLayout layout, SessionFactory factory, StateStore[] sets,
            Function<String, DirectTensor> buffers, BufferViews views) throws OrtException {
        this.name = graph.name();
        this.runTimes = factory.runTimes();
        for (int k = 0; k < 2; k++) {
            Map<String, OnnxTensor> in = new HashMap<>();
            for (GraphIo io : graph.inputs()) {
                in.put(io.name(), views.of(io.role().isState() ? sets[k].tensor(io.name()) : buffers.apply(io.name())));
            }
            Map<String, OnnxTensor> out = new HashMap<>();
            for (GraphIo io : graph.outputs()) {
                if (!io.role().isState()) {
                    out.put(io.name(), views.of(buffers.apply(io.name())));
                }
            }
            for (String state : layout.updated()) {
                out.put(GraphIo.next(state), views.of(sets[1 - k].tensor(state)));
            }
            inputsWhenCurrent.add(Map.copyOf(in));
            outputsWhenCurrent.add(Map.copyOf(out));
        }
        this.session = new GraphSession(graph.model(), factory);
    }

    /** Runs the graph on state set {@code current}, writing the updated state into the other set. */
    void run(int current, long step) {
        long started = System.nanoTime();
        try {
            // Every output is pinned, so the Result owns nothing; closing it frees no tensor.
            session.ort().run(inputsWhenCurrent.get(current), outputsWhenCurrent.get(current)).close();
            runTimes.add(name, System.nanoTime() - started);
        } catch (OrtException e) {
            throw new IllegalStateException("train step " + step + " of '" + name + "' failed: " + e.getMessage(), e);
        }
    }

    String endProfiling() {
        try {
            return session.ort().endProfiling();
        } catch (OrtException e) {
            throw new IllegalStateException("could not end profiling: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        session.close();
    }
}
