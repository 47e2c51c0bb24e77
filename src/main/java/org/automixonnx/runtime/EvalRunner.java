package org.automixonnx.runtime;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.automixonnx.graphs.GraphIo;
import org.automixonnx.graphs.StepGraph;
import org.automixonnx.onnx.Shape;
import org.automixonnx.onnx.Tensor;

/**
 * A forward-only graph (a classifier's evaluation graph, the evaluation suite, PuzzleMix's saliency) in one ORT
 * session, run batch after batch on the live training state: the state inputs are read in place from the
 * caller's direct buffers (each wrapped for ORT once, however often it is fed), the batch is copied in, the
 * requested outputs come back as heap tensors, and the time of every run is added to the session factory's
 * {@link GraphRunTimes}. Graphs that update state run in the {@link TrainStepRunner} instead.
 */
public final class EvalRunner implements AutoCloseable {
    private final StepGraph graph;
    private final GraphSession session;
    private final GraphRunTimes runTimes;
    private final BufferViews views = new BufferViews();

    public EvalRunner(StepGraph graph, SessionFactory factory) {
        if (!graph.updatedState().isEmpty()) {
            throw new IllegalArgumentException("graph '" + graph.name() + "' updates state ("
                    + graph.updatedState().get(0).name() + ", ...); an evaluation runner runs forward-only graphs");
        }
        this.graph = graph;
        this.session = new GraphSession(graph.model(), factory);
        this.runTimes = factory.runTimes();
    }

    /**
     * The batch inputs every evaluation graph takes, images [n, C, H, W] and their int64 labels [n], in a new map
     * the caller may add a graph's other inputs to.
     */
    public static Map<String, Tensor> labelledImages(float[] images, long[] labels, long[] image) {
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put(GraphIo.IMAGES, Tensor.ofFloats(Shape.of(labels.length, image[0], image[1], image[2]), images));
        m.put(GraphIo.LABELS, Tensor.ofLongs(Shape.of(labels.length), labels));
        return m;
    }

    public StepGraph graph() {
        return graph;
    }

    /**
     * Runs the graph once.
     *
     * @param state   a buffer for every state input of the graph, by input name (others are ignored)
     * @param batch   the data inputs
     * @param outputs the outputs to return (all of them when empty)
     */
    public Map<String, Tensor> run(Map<String, DirectTensor> state, Map<String, Tensor> batch,
            Collection<String> outputs) {
        Map<String, OnnxTensor> stateFeeds = new HashMap<>();
        for (GraphIo io : graph.stateInputs()) {
            DirectTensor t = state.get(io.name());
            if (t == null) {
                throw new IllegalArgumentException("no state buffer for input '" + io.name() + "' of graph '"
                        + graph.name() + "'");
            }
            if (t.dtype() != io.dtype() || !t.shape().equals(io.shape())) {
                throw new IllegalArgumentException("state buffer '" + t.name() + "' is " + t.dtype() + t.shape()
                        + " but input '" + io.name() + "' of graph '" + graph.name() + "' is " + io.dtype()
                        + io.shape());
            }
            try {
                stateFeeds.put(io.name(), views.of(t));
            } catch (OrtException e) {
                throw new IllegalStateException("cannot hand state '" + io.name() + "' to ONNX Runtime: "
                        + e.getMessage(), e);
            }
        }
        long started = System.nanoTime();
        Map<String, Tensor> out = session.run(stateFeeds, batch, outputs);
        runTimes.add(graph.name(), System.nanoTime() - started);
        return out;
    }

    @Override
    public void close() {
        try {
            views.close();
        } finally {
            session.close();
        }
    }
}
