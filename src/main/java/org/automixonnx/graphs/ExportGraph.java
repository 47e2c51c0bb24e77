package org.automixonnx.graphs;

import java.util.Map;
import org.automixonnx.onnx.DType;
import org.automixonnx.onnx.GraphBuilder;
import org.automixonnx.onnx.Model;
import org.automixonnx.onnx.Shape;
import org.automixonnx.onnx.Tensor;
import org.automixonnx.onnx.Value;

/**
 * The deployable classifier: input {@code input} float [N, C, H, W] (N symbolic), output {@code logits} [N, K],
 * parameters and BN running statistics baked in as initializers, BatchNorm in inference form.
 */
public final class ExportGraph {
    private ExportGraph() {
    }

    /** @param state trained parameters and BN statistics by name (extra entries such as optimizer state are ignored) */
    public static Model build(Network network, Map<String, Tensor> state, long... imageShape) {
        return build(network, state, false, imageShape);
    }

    /** As {@link #build(Network, Map, long...)}; with {@code probabilities} also the softmax over classes. */
    public static Model build(Network network, Map<String, Tensor> state, boolean probabilities,
            long... imageShape) {
        GraphBuilder b = new GraphBuilder("classifier");
        BuildContext ctx = new BuildContext(b, Mode.EXPORT, 0).load(state);
        long[] dims = {Shape.UNKNOWN, imageShape[0], imageShape[1], imageShape[2]};
        Value x = ctx.data("input", DType.FLOAT, Shape.symbolic(dims, new String[] {"N", null, null, null}));
        Value logits = network.forward(ctx, x);
        for (StateVar s : ctx.states()) {
            if (!state.containsKey(s.name())) {
                throw new IllegalArgumentException("no trained value for '" + s.name() + "'");
            }
        }
        ctx.output(logits, "logits", Role.METRIC);
        if (probabilities) {
            ctx.output(ctx.ops().softmax(logits, 1), "probabilities", Role.METRIC);
        }
        return b.buildModel();
    }
}
