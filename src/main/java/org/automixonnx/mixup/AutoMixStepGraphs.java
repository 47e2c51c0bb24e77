package org.automixonnx.mixup;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.automixonnx.graphs.BuildContext;
import org.automixonnx.graphs.ConvLowering;
import org.automixonnx.graphs.GraphIo;
import org.automixonnx.graphs.Initializer;
import org.automixonnx.graphs.Mode;
import org.automixonnx.graphs.Optimizer;
import org.automixonnx.graphs.ParameterUpdate;
import org.automixonnx.graphs.Role;
import org.automixonnx.graphs.Sgd;
import org.automixonnx.graphs.StateVar;
import org.automixonnx.graphs.StepForm;
import org.automixonnx.graphs.StepGraph;
import org.automixonnx.models.ImageClassifier;
import org.automixonnx.onnx.DType;
import org.automixonnx.onnx.GraphBuilder;
import org.automixonnx.onnx.Ops;
import org.automixonnx.onnx.Shape;
import org.automixonnx.onnx.Tensor;
import org.automixonnx.onnx.Value;

/**
 * The two graphs of one AutoMix iteration (docs/automix.md, "One iteration"); Java runs {@code mixblock_step}, then
 * {@code student_step} with {@code mix_mask = 1 - mask_q} (or the constant {@code lam_q} under the margin rule)
 * and {@code lam = lam_q}, then the EMA {@code teacher.<name> <- m teacher.<name> + (1 - m) <name>} over every
 * PARAMETER of the student.
 *
 * <p>{@code mixblock_step} (steps 2, 3, 5, 6): inputs {@code x}, {@code y}, {@code perm_k}, {@code perm_q},
 * {@code lam_k}, {@code lam_q}, {@code hp.lr}, {@code hp.momentum}, {@code hp.weight_decay},
 * {@code hp.mask_loss_weight}; state: the teacher's parameters {@code teacher.<torchvision name>} (read-only:
 * no {@code .next}; {@code teacher.head_one.*} is an unused input so that all teacher state lives in this
 * graph), the teacher's BN statistics (updated by both train-mode passes, in order), the MixBlock's parameters
 * and momentum buffers (updated). Outputs {@code loss} (what is minimised), {@code loss_gen} (mixed CE of the
 * teacher's head_mix on the k-mix), {@code loss_mask} (the unweighted margin term), {@code mask_k},
 * {@code mask_q} (partner weights [N, 1, H, W], the latter detached) and the {@code .next} state.
 *
 * <p>{@code student_step} is {@link SampleMixStep} with two heads and a pixel mask at the input.
 */
public final class AutoMixStepGraphs {
    public static final String TEACHER = "teacher";
    public static final String TEACHER_PREFIX = TEACHER + ".";
    public static final String MASK_LOSS_WEIGHT = "hp.mask_loss_weight";
    /** The margin of the mask loss: no penalty while the mean own-weight is within 0.1 of lam_k. */
    public static final float MASK_MARGIN = 0.1f;

    private final ImageClassifier network;
    private final int batch;
    private final long[] imageShape;
    private String tap = "l3";
    private MixBlock.Options mixBlock = MixBlock.Options.DEFAULT;
    private Optimizer optimizer = new Sgd(false);
    private long seed;
    private ConvLowering convLowering = ConvLowering.AUTO;
    private StepForm form = StepForm.FUSED;
    private Map<String, Tensor> initialState = Map.of();

    /** @param imageShape C, H, W of one image */
    public AutoMixStepGraphs(ImageClassifier network, int batch, long... imageShape) {
        if (imageShape.length != 3) {
            throw new IllegalArgumentException("image shape is C, H, W");
        }
        this.network = network;
        this.batch = batch;
        this.imageShape = imageShape.clone();
    }

    /** The feature tap whose output feeds the MixBlock (one of the network's taps); default l3. */
    public AutoMixStepGraphs tap(String name) {
        if (!network.taps().contains(name)) {
            throw new IllegalArgumentException("the network has no feature tap '" + name + "'; known: "
                    + network.taps());
        }
        this.tap = name;
        return this;
    }

    public AutoMixStepGraphs mixBlock(MixBlock.Options options) {
        this.mixBlock = options;
        return this;
    }

    /** The optimizer of both the student and the MixBlock (same {@code hp.*} inputs); default SGD. */
    public AutoMixStepGraphs optimizer(Optimizer o) {
        this.optimizer = o;
        return this;
    }

    public AutoMixStepGraphs seed(long s) {
        this.seed = s;
        return this;
    }

    /** How both step graphs write their convs (the sessions' {@code convLowering()}; default AUTO). */
    public AutoMixStepGraphs convLowering(ConvLowering lowering) {
        this.convLowering = lowering;
        return this;
    }

    /** Whether both steps update their parameters themselves or carry optimizer graphs (default fused). */
    public AutoMixStepGraphs form(StepForm f) {
        this.form = f;
        return this;
    }

    /**
     * Initial values by state name (any subset of both graphs' state). Teacher state that is not given starts
     * as a copy of the student's initial state.
     */
    public AutoMixStepGraphs initialState(Map<String, Tensor> values) {
        this.initialState = Map.copyOf(values);
        return this;
    }

    public StepGraph studentStep() {
        return new SampleMixStep(network, optimizer, batch, imageShape).heads(SampleMixStep.Heads.TWO)
                .seed(seed).convLowering(convLowering).form(form).initialState(initialState).name("student_step")
                .build();
    }

    public StepGraph mixblockStep() {
        return mixblockStep(studentStep());
    }

    /**
     * The MixBlock step whose teacher starts as a copy of {@code student}'s initial state (this builder's
     * {@link #studentStep()}, built once by a caller that needs both).
     */
    public StepGraph mixblockStep(StepGraph student) {
        Map<String, Tensor> teacherCopy = new LinkedHashMap<>();
        student.initialState().forEach((name, t) -> teacherCopy.put(TEACHER_PREFIX + name, t));
        BuildContext ctx = new BuildContext(new GraphBuilder("mixblock_step"), Mode.TRAIN, seed)
                .load(teacherCopy).load(initialState).convLowering(convLowering).form(form);
        Ops o = ctx.ops();
        long h = imageShape[1];
        long w = imageShape[2];
        Value x = ctx.data(GraphIo.IMAGES, DType.FLOAT, Shape.of(batch, imageShape[0], h, w));
        Value y = ctx.data(GraphIo.LABELS, DType.INT64, Shape.of(batch));
        Value permK = ctx.data("perm_k", DType.INT64, Shape.of(batch));
        Value permQ = ctx.data("perm_q", DType.INT64, Shape.of(batch));
        Value lamK = ctx.data("lam_k", DType.FLOAT, Shape.SCALAR);
        Value lamQ = ctx.data("lam_q", DType.FLOAT, Shape.SCALAR);

        Value z;
        try (GraphBuilder.Scope s = ctx.builder().scope(TEACHER)) {
            z = network.features(ctx, x, tap);
        }
        Value maskK = MixBlock.apply(ctx, z, lamK, permK, h, w, mixBlock);
        Value maskQ = MixBlock.apply(ctx, z, lamQ, permQ, h, w, mixBlock);
        List<StateVar> mixBlockParams = ctx.states(Role.PARAMETER).stream()
                .filter(p -> p.name().startsWith(MixBlock.SCOPE + ".")).toList();

        Value mixedK = SampleMixing.mix(o, x, permK, o.sub(o.scalar(1f), maskK));
        Value logits;
        try (GraphBuilder.Scope s = ctx.builder().scope(TEACHER)) {
            Value pooled = network.pooledFeatures(ctx, mixedK);
            logits = network.head(ctx, "head_mix", pooled);
            declareUnusedHead(ctx, "head_one", pooled.dim(1));
        }
        Value lossGen = SampleMixing.mixedCrossEntropy(o, logits, y, permK, lamK);
        Value lossMask = maskLoss(o, maskK, lamK);
        Value loss = o.add(lossGen, o.mul(ctx.hyperParameter(MASK_LOSS_WEIGHT), lossMask));
        ctx.output(loss, "loss", Role.LOSS);
        ctx.output(lossGen, "loss_gen", Role.LOSS);
        ctx.output(lossMask, "loss_mask", Role.LOSS);
        ctx.output(maskK, "mask_k", Role.METRIC);
        ctx.output(maskQ, "mask_q", Role.METRIC);

        ParameterUpdate.minimise(ctx, loss, mixBlockParams, optimizer, List.of(z, maskQ));
        return ctx.finish();
    }

    /** {@code max(|(1 - mean(s)) - lam| - margin, 0)}, mean over the whole batch and all pixels. */
    static Value maskLoss(Ops o, Value partnerWeight, Value lam) {
        Value ownMean = o.sub(o.scalar(1f), o.reduceMeanAll(partnerWeight));
        return o.relu(o.add(o.abs(o.sub(ownMean, lam)), -MASK_MARGIN));
    }

    /** Registers a head's parameters as (unused) inputs, so the graph carries all of the teacher's state. */
    private void declareUnusedHead(BuildContext ctx, String name, long features) {
        long classes = network.numClasses();
        try (GraphBuilder.Scope s = ctx.builder().scope(name)) {
            ctx.parameter("weight", Shape.of(classes, features), Initializer.normal(0.01));
            ctx.parameter("bias", Shape.of(classes), Initializer.constant(0f));
        }
    }
}
