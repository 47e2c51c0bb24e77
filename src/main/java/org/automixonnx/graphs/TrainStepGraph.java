package org.automixonnx.graphs;

import java.util.List;
import java.util.Map;
import org.automixonnx.onnx.DType;
import org.automixonnx.onnx.GraphBuilder;
import org.automixonnx.onnx.Ops;
import org.automixonnx.onnx.Shape;
import org.automixonnx.onnx.Tensor;
import org.automixonnx.onnx.Value;

/**
 * Builds the supervised train step {@code (x, y, state, hp) -> (loss, correct, logits, state.next)}: the
 * network in TRAIN mode, hard-label cross-entropy, gradients of the loss with respect to every parameter,
 * and the optimizer update of every parameter (or, in the {@link StepForm#SPLIT split form}, the gradients out and the
 * update in the optimizer graph). With {@link #exposeGradients} each gradient is also an output
 * {@link GraphIo#gradient grad.<param>} (for reference tests and debugging; the split form gives them anyway).
 */
public final class TrainStepGraph {
    private final Network network;
    private final Optimizer optimizer;
    private final int batch;
    private final long[] imageShape;
    private long seed = 0;
    private boolean exposeGradients;
    private Map<String, Tensor> initialState = Map.of();
    private String name = "train_step";
    private ConvLowering convLowering = ConvLowering.AUTO;
    private StepForm form = StepForm.FUSED;

    /** @param imageShape C, H, W of one image */
    public TrainStepGraph(Network network, Optimizer optimizer, int batch, long... imageShape) {
        if (imageShape.length != 3) {
            throw new IllegalArgumentException("image shape is C, H, W");
        }
        this.network = network;
        this.optimizer = optimizer;
        this.batch = batch;
        this.imageShape = imageShape.clone();
    }

    /** Seed of the random source that draws initial parameter values. */
    public TrainStepGraph seed(long s) {
        this.seed = s;
        return this;
    }

    public TrainStepGraph exposeGradients(boolean on) {
        this.exposeGradients = on;
        return this;
    }

    /** Initial values to use instead of drawn ones (any subset of the state, by name). */
    public TrainStepGraph initialState(Map<String, Tensor> values) {
        this.initialState = Map.copyOf(values);
        return this;
    }

    public TrainStepGraph name(String n) {
        this.name = n;
        return this;
    }

    public TrainStepGraph convLowering(ConvLowering lowering) {
        this.convLowering = lowering;
        return this;
    }

    public TrainStepGraph form(StepForm f) {
        this.form = f;
        return this;
    }

    public StepGraph build() {
        GraphBuilder b = new GraphBuilder(name);
        BuildContext ctx = new BuildContext(b, Mode.TRAIN, seed).load(initialState).convLowering(convLowering)
                .form(form);
        Ops o = ctx.ops();
        Value x = ctx.data(GraphIo.IMAGES, DType.FLOAT, Shape.of(batch, imageShape[0], imageShape[1], imageShape[2]));
        Value y = ctx.data(GraphIo.LABELS, DType.INT64, Shape.of(batch));
        Value logits = network.forward(ctx, x);
        Value loss = Losses.crossEntropy(o, logits, y);
        ctx.output(loss, "loss", Role.LOSS);
        ctx.output(Metrics.correct(o, logits, y), "correct", Role.METRIC);
        ctx.output(logits, "logits", Role.METRIC);

        Map<StateVar, Value> grads = ParameterUpdate.minimise(ctx, loss, ctx.states(Role.PARAMETER), optimizer,
                List.of());
        if (exposeGradients && form == StepForm.FUSED) {
            grads.forEach((p, g) -> ctx.output(g, GraphIo.gradient(p.name()), Role.METRIC));
        }
        return ctx.finish();
    }
}
