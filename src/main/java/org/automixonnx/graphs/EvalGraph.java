package org.automixonnx.graphs;

import java.util.Map;
import org.automixonnx.onnx.DType;
import org.automixonnx.onnx.GraphBuilder;
import org.automixonnx.onnx.Ops;
import org.automixonnx.onnx.Shape;
import org.automixonnx.onnx.Tensor;
import org.automixonnx.onnx.Value;

/**
 * Builds the evaluation graph {@code (x, y, parameters, BN statistics) -> (logits, loss, correct)} with
 * BatchNorm on running statistics. The batch dimension is symbolic ({@code N}), so the last partial batch
 * of a test set runs through the same session.
 */
public final class EvalGraph {
    private final Network network;
    private final long[] imageShape;
    private Map<String, Tensor> initialState = Map.of();
    private long seed = 0;

    /** @param imageShape C, H, W of one image */
    public EvalGraph(Network network, long... imageShape) {
        this.network = network;
        this.imageShape = imageShape.clone();
    }

    public EvalGraph initialState(Map<String, Tensor> values) {
        this.initialState = Map.copyOf(values);
        return this;
    }

    public EvalGraph seed(long s) {
        this.seed = s;
        return this;
    }

    public StepGraph build() {
        GraphBuilder b = new GraphBuilder("eval");
        BuildContext ctx = new BuildContext(b, Mode.EVAL, seed).load(initialState);
        Ops o = ctx.ops();
        long[] dims = {Shape.UNKNOWN, imageShape[0], imageShape[1], imageShape[2]};
        Value x = ctx.data(GraphIo.IMAGES, DType.FLOAT, Shape.symbolic(dims, new String[] {"N", null, null, null}));
        Value y = ctx.data(GraphIo.LABELS, DType.INT64, Shape.symbolic(new long[] {Shape.UNKNOWN}, new String[] {"N"}));
        Value logits = network.forward(ctx, x);
        ctx.output(logits, "logits", Role.METRIC);
        ctx.output(Losses.crossEntropy(o, logits, y), "loss", Role.LOSS);
        ctx.output(Metrics.correct(o, logits, y), "correct", Role.METRIC);
        return ctx.finish();
    }
}
