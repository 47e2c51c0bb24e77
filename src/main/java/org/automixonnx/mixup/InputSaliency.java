package org.automixonnx.mixup;

import java.util.List;
import java.util.Map;
import org.automixonnx.graphs.GraphIo;
import org.automixonnx.graphs.Role;
import org.automixonnx.graphs.StepGraph;
import org.automixonnx.onnx.DType;
import org.automixonnx.onnx.Ops;
import org.automixonnx.onnx.Shape;
import org.automixonnx.onnx.Value;
import org.automixonnx.runtime.DirectTensor;
import org.automixonnx.runtime.EvalRunner;
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
    /** The output with every pixel's saliency, [n, H, W]. */
    public static final String SALIENCY = "saliency";

    private final EvalRunner runner;
    private final long[] image;

    public InputSaliency(StepGraph eval, String logits, int batch, long[] image, SessionFactory sessions) {
        this.runner = new EvalRunner(build(eval, logits, batch, image), sessions);
        this.image = image.clone();
    }

    /** The saliency graph over {@code eval} (whose output {@code logits} holds the logits) for batches of {@code batch}. */
    public static StepGraph build(StepGraph eval, String logits, int batch, long[] image) {
        ClassifierReplay g = new ClassifierReplay("saliency", eval, logits);
        Ops o = g.ops();
        Value x = g.data(GraphIo.IMAGES, DType.FLOAT, Shape.of(batch, image[0], image[1], image[2]));
        Value y = g.data(GraphIo.LABELS, DType.INT64, Shape.of(batch));
        ClassifierReplay.CleanPass pass = g.cleanPass(x, y, null);
        Value grad = pass.inputGradient();
        g.output(o.sqrt(o.reduceSum(o.mul(grad, grad), false, 1)), SALIENCY, Role.METRIC);
        g.output(pass.loss(), "loss", Role.LOSS);
        return g.finish();
    }

    public StepGraph graph() {
        return runner.graph();
    }

    /**
     * Saliency of every pixel of the batch, [n * H * W] row-major.
     *
     * @param state a buffer for every state input of the graph, by name (the live training state)
     */
    public float[] compute(float[] images, long[] labels, Map<String, DirectTensor> state) {
        return runner.run(state, EvalRunner.labelledImages(images, labels, image), List.of(SALIENCY)).get(SALIENCY)
                .floats();
    }

    @Override
    public void close() {
        runner.close();
    }
}
