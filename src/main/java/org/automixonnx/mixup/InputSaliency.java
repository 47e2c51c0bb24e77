package org.automixonnx.mixup;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import org.automixonnx.graphs.GraphIo;
import org.automixonnx.graphs.Role;
import org.automixonnx.graphs.StepGraph;
import org.automixonnx.onnx.DType;
import org.automixonnx.onnx.OnnxIO;
import org.automixonnx.onnx.Ops;
import org.automixonnx.onnx.Shape;
import org.automixonnx.onnx.Value;
import org.automixonnx.runtime.DirectTensor;
import org.automixonnx.runtime.GraphRunTimes;
import org.automixonnx.runtime.SessionFactory;

/**
 * PuzzleMix's saliency (Kim et al. 2020): per pixel, the L2 norm over channels of the gradient of the clean
 * cross-entropy with respect to the input image, {@code |d CE_i / d x_i|_2} over c, for the current classifier.
 *
 * <p>The graph {@code saliency} replays the classifier's evaluation graph (BatchNorm on running statistics: no state
 * changes, and each image's gradient is its own, as the reference code's {@code clean_lam = 0} path with the model in
 * eval mode). Inputs {@code x} [n, C, H, W], {@code y} int64 [n] and the evaluation graph's state; outputs
 * {@code saliency} [n, H, W] and {@code loss} (the summed clean cross-entropy).
 */
public final class InputSaliency implements AutoCloseable {
    private final StepGraph graph;
    private final OrtSession session;
    private final GraphRunTimes runTimes;
    private final int batch;
    private final long[] image;
    /** ORT views of state buffers, made once per buffer (the training runner alternates between two sets). */
    private final Map<DirectTensor, OnnxTensor> wrapped = new IdentityHashMap<>();

    public InputSaliency(StepGraph eval, String logits, int batch, long[] image, SessionFactory sessions) {
        this.graph = build(eval, logits, batch, image);
        this.batch = batch;
        this.image = image.clone();
        this.runTimes = sessions.runTimes();
        try {
            this.session = sessions.create(OnnxIO.toBytes(graph.model()));
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime rejected the saliency graph: " + e.getMessage(), e);
        }
    }

    /** The saliency graph over {@code eval} (whose output {@code logits} holds the logits) for batches of {@code batch}. */
    public static StepGraph build(StepGraph eval, String logits, int batch, long[] image) {
        ClassifierReplay g = new ClassifierReplay("saliency", eval, logits);
        Ops o = g.ops();
        Value x = g.data(GraphIo.IMAGES, DType.FLOAT, Shape.of(batch, image[0], image[1], image[2]));
        Value y = g.data(GraphIo.LABELS, DType.INT64, Shape.of(batch));
        ClassifierReplay.CleanPass pass = g.cleanPass(x, y, null);
        Value grad = pass.inputGradient();
        g.output(o.sqrt(o.reduceSum(o.mul(grad, grad), false, 1)), "saliency", Role.METRIC);
        g.output(pass.loss(), "loss", Role.LOSS);
        return g.finish();
    }

    public StepGraph graph() {
        return graph;
    }

    /**
     * Saliency of every pixel of the batch, [n * H * W] row-major.
     *
     * @param state a buffer for every state input of the graph, by name (the live training state)
     */
    public float[] compute(float[] images, long[] labels, Map<String, DirectTensor> state) {
        long[] shape = {batch, image[0], image[1], image[2]};
        Map<String, OnnxTensor> feeds = new HashMap<>();
        try (OnnxTensor x = OnnxTensor.createTensor(SessionFactory.env(), FloatBuffer.wrap(images), shape);
                OnnxTensor y = OnnxTensor.createTensor(SessionFactory.env(), LongBuffer.wrap(labels),
                        new long[] {batch})) {
            feeds.put(GraphIo.IMAGES, x);
            feeds.put(GraphIo.LABELS, y);
            for (GraphIo io : graph.stateInputs()) {
                DirectTensor t = state.get(io.name());
                if (t == null) {
                    throw new IllegalArgumentException("no state buffer for saliency input '" + io.name() + "'");
                }
                feeds.put(io.name(), view(t));
            }
            long started = System.nanoTime();
            try (OrtSession.Result r = session.run(feeds, Set.of("saliency"))) {
                runTimes.add(graph.name(), System.nanoTime() - started);
                OnnxTensor s = (OnnxTensor) r.get("saliency").orElseThrow();
                FloatBuffer fb = s.getFloatBuffer();
                float[] out = new float[fb.remaining()];
                fb.get(out);
                return out;
            }
        } catch (OrtException e) {
            throw new IllegalStateException("saliency failed: " + e.getMessage(), e);
        }
    }

    private OnnxTensor view(DirectTensor t) throws OrtException {
        OnnxTensor v = wrapped.get(t);
        if (v == null) {
            v = t.wrapForOrt();
            wrapped.put(t, v);
        }
        return v;
    }

    @Override
    public void close() {
        wrapped.values().forEach(OnnxTensor::close);
        wrapped.clear();
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException(e);
        }
    }
}
