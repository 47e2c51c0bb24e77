package org.automixonnx.mixup;

import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.automixonnx.graphs.BuildContext;
import org.automixonnx.graphs.ConvLowering;
import org.automixonnx.graphs.GraphIo;
import org.automixonnx.graphs.Losses;
import org.automixonnx.graphs.Metrics;
import org.automixonnx.graphs.Mode;
import org.automixonnx.graphs.Optimizer;
import org.automixonnx.graphs.ParameterUpdate;
import org.automixonnx.graphs.Role;
import org.automixonnx.graphs.StepForm;
import org.automixonnx.graphs.StepGraph;
import org.automixonnx.models.Head;
import org.automixonnx.models.ImageClassifier;
import org.automixonnx.onnx.DType;
import org.automixonnx.onnx.GraphBuilder;
import org.automixonnx.onnx.Ops;
import org.automixonnx.onnx.Shape;
import org.automixonnx.onnx.Tensor;
import org.automixonnx.onnx.Value;

/**
 * The train step shared by every sample-level mixing method (docs/automix.md, "The sample-level baselines"):
 * Java draws the pairing and the mask, the graph mixes and trains.
 *
 * <p>Inputs: {@code x} [N, C, H, W], {@code y} int64 [N], {@code perm} int64 [N], {@code mix_mask} (the
 * ORIGINAL sample's weight, {@code x_mix = mix_mask * x + (1 - mix_mask) * x[perm]}; [N, 1, H, W] for a pixel
 * mask at the input, [N, 1, 1, 1] for a per-sample ratio, always the latter at a feature tap), {@code lam}
 * (label weight, float scalar), the optimizer's {@code hp.*} inputs and the state.
 *
 * <p>{@link #perSample(boolean) Per sample} (PuzzleMix): each sample has its own pixel mask in {@code mix_mask}
 * [N, 1, H, W] and its own label weight, {@code lam} [N, 1]; the partner images are an input, {@code x_partner}
 * [N, C, H, W] (the method rewrote them, e.g. moved their blocks), and {@code x_mix = mix_mask * x + (1 - mix_mask)
 * * x_partner}; the partner labels are still {@code y[perm]}. Input mixing only.
 *
 * <p>{@link Heads#SINGLE}: one head {@code fc}, loss = mixed CE on the mixed batch (the baselines).
 * {@link Heads#TWO}: {@code head_one} trained with one-hot CE on the clean batch and {@code head_mix} with mixed
 * CE on the mixed batch; clean first, then mixed, as two separate forward passes (BatchNorm sees each batch on
 * its own; AutoMix step 7). Mixing at a tap ({@code l1}, {@code l2}: ManifoldMix) mixes the stage output with
 * the same rule and continues the network; the clean pass is never mixed.
 *
 * <p>Outputs: {@code loss} (total), {@code loss_mix}; with two heads also {@code loss_clean} and {@code correct}
 * (top-1 count of head_one on the clean batch); {@code <state>.next} for every parameter, optimizer buffer and
 * BN statistic.
 */
public final class SampleMixStep {
    public enum Heads { SINGLE, TWO }

    /** The mask input: the original sample's weight, per pixel or per sample. */
    public static final String MIX_MASK = "mix_mask";

    /** {@link #mixAt} value for mixing the images themselves. */
    public static final String INPUT = "input";

    private final ImageClassifier network;
    private final Optimizer optimizer;
    private final int batch;
    private final long[] imageShape;
    private Heads heads = Heads.SINGLE;
    private String mixAt = INPUT;
    private boolean pixelMask = true;
    private boolean perSample;
    private long seed;
    private ConvLowering convLowering = ConvLowering.AUTO;
    private StepForm form = StepForm.FUSED;
    private Map<String, Tensor> initialState = Map.of();
    private String name;

    /** @param imageShape C, H, W of one image */
    public SampleMixStep(ImageClassifier network, Optimizer optimizer, int batch, long... imageShape) {
        if (imageShape.length != 3) {
            throw new IllegalArgumentException("image shape is C, H, W");
        }
        this.network = network;
        this.optimizer = optimizer;
        this.batch = batch;
        this.imageShape = imageShape.clone();
    }

    public SampleMixStep heads(Heads h) {
        this.heads = h;
        return this;
    }

    /** {@link #INPUT} (default) or a feature tap ({@code l1}, {@code l2}, ...); taps take a per-sample mask. */
    public SampleMixStep mixAt(String where) {
        this.mixAt = where;
        return this;
    }

    /** Input mixing only: mask [N, 1, H, W] (default) or [N, 1, 1, 1] (MixUp's global ratio). */
    public SampleMixStep pixelMask(boolean on) {
        this.pixelMask = on;
        return this;
    }

    /** Per-sample label weights and explicit partner images (see the class comment); implies a pixel mask. */
    public SampleMixStep perSample(boolean on) {
        this.perSample = on;
        return this;
    }

    public SampleMixStep seed(long s) {
        this.seed = s;
        return this;
    }

    public SampleMixStep convLowering(ConvLowering lowering) {
        this.convLowering = lowering;
        return this;
    }

    public SampleMixStep form(StepForm f) {
        this.form = f;
        return this;
    }

    public SampleMixStep initialState(Map<String, Tensor> values) {
        this.initialState = Map.copyOf(values);
        return this;
    }

    /** Graph name; default {@code student_step}, or {@code student_step_<tap>} when mixing at a tap. */
    public SampleMixStep name(String n) {
        this.name = n;
        return this;
    }

    public String graphName() {
        return name != null ? name : mixAt.equals(INPUT) ? "student_step" : "student_step_" + mixAt;
    }

    public StepGraph build() {
        BuildContext ctx = new BuildContext(new GraphBuilder(graphName()), Mode.TRAIN, seed).load(initialState)
                .convLowering(convLowering).form(form);
        Ops o = ctx.ops();
        boolean atInput = mixAt.equals(INPUT);
        if (perSample && !atInput) {
            throw new IllegalArgumentException("per-sample mixing is input mixing, not at tap '" + mixAt + "'");
        }
        Shape imagesShape = Shape.of(batch, imageShape[0], imageShape[1], imageShape[2]);
        Value x = ctx.data(GraphIo.IMAGES, DType.FLOAT, imagesShape);
        Value y = ctx.data(GraphIo.LABELS, DType.INT64, Shape.of(batch));
        Value perm = ctx.data(GraphIo.PERMUTATION, DType.INT64, Shape.of(batch));
        Shape maskShape = atInput && (pixelMask || perSample) ? Shape.of(batch, 1, imageShape[1], imageShape[2])
                : Shape.of(batch, 1, 1, 1);
        Value mask = ctx.data(SampleMixStep.MIX_MASK, DType.FLOAT, maskShape);
        Value lam = ctx.data(GraphIo.LAMBDA, DType.FLOAT, perSample ? Shape.of(batch, 1) : Shape.SCALAR);
        Value partnerImages = perSample ? ctx.data("x_partner", DType.FLOAT, imagesShape) : null;

        Value loss;
        Value lossClean = null;
        if (heads == Heads.TWO) {
            Value logitsOne = network.head(ctx, "head_one", pooledFeatures(ctx, x));
            lossClean = Losses.crossEntropy(o, logitsOne, y);
            ctx.output(lossClean, "loss_clean", Role.LOSS);
            ctx.output(Metrics.correct(o, logitsOne, y), "correct", Role.METRIC);
        }
        Value mixedInput = perSample ? SampleMixing.blend(o, x, partnerImages, mask)
                : atInput ? SampleMixing.mix(o, x, perm, mask) : x;
        if (!atInput) {
            ctx.onTap(mixAt, h -> SampleMixing.mix(o, h, perm, mask));
        }
        Value pooledMix = pooledFeatures(ctx, mixedInput);
        Value logitsMix = heads == Heads.TWO ? network.head(ctx, "head_mix", pooledMix)
                : network.head(ctx, Head.ONE, pooledMix);
        if (!atInput) {
            ctx.onTap(mixAt, UnaryOperator.identity());
            if (!ctx.taps().containsKey(mixAt)) {
                throw new IllegalArgumentException("the network has no feature tap '" + mixAt + "'");
            }
        }
        Value lossMix = SampleMixing.mixedCrossEntropy(o, logitsMix, y, perm, lam);
        ctx.output(lossMix, "loss_mix", Role.LOSS);
        loss = lossClean == null ? lossMix : o.add(lossClean, lossMix);
        ctx.output(loss, "loss", Role.LOSS);

        ParameterUpdate.minimise(ctx, loss, ctx.states(Role.PARAMETER), optimizer, List.of());
        return ctx.finish();
    }

    private Value pooledFeatures(BuildContext ctx, Value x) {
        return network.pooledFeatures(ctx, x);
    }
}
