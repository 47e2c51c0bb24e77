package org.automixonnx.mixup;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongToDoubleFunction;
import org.automixonnx.data.Batch;
import org.automixonnx.graphs.GraphIo;
import org.automixonnx.graphs.Sgd;
import org.automixonnx.graphs.StepGraph;
import org.automixonnx.models.ImageClassifier;
import org.automixonnx.runtime.StateStore;
import org.automixonnx.runtime.TrainStepRunner;

/**
 * AutoMix (docs/automix.md), one iteration = the MixBlock step (teacher features, both masks, generation and
 * mask losses, MixBlock SGD update; also updates the teacher's BN statistics), then the student step on
 * the clean batch and the q-mix, then the EMA of the teacher's parameters towards the student's.
 */
public final class AutoMix extends SnapshottingMethod {
    public static final String NAME = "automix";

    /**
     * The method's settings, built from the config's {@code automix:} section by {@link AutoMixOptions}; their meaning
     * and defaults: docs/automix.md ("Schedules and defaults").
     */
    public record Settings(String tap, MixBlock.Options mixBlock, double lamMargin,
            LongToDoubleFunction maskLossWeight, LongToDoubleFunction emaMomentum) {
    }

    private final StepGraph mixblockStep;
    private final StepGraph studentStep;
    private final StepGraph eval;
    private final TrainStepRunner mixRunner;
    private final TrainStepRunner studentRunner;
    private final TeacherEma ema;
    private final SgdHyper hyper;
    private final double alpha;
    private final Settings settings;
    private final List<Classifier> classifiers;
    /** This iteration's MixBlock health, reset every step; the trainer averages the figures over the epoch. */
    private final MaskStatistics maskHealth = new MaskStatistics();

    public AutoMix(MethodContext c) {
        ImageClassifier network = c.classifier();
        this.settings = c.options(AutoMixOptions.class).settings(network, c.featureTap(), c.totalIterations());
        AutoMixStepGraphs graphs = new AutoMixStepGraphs(network, c.batchSize(), c.image()).tap(settings.tap())
                .mixBlock(settings.mixBlock()).optimizer(new Sgd(c.nesterov())).seed(c.seed())
                .convLowering(c.sessions().convLowering()).form(c.form());
        // the student step is built once: the MixBlock step's teacher starts as a copy of its initial state
        this.studentStep = graphs.studentStep();
        this.mixblockStep = graphs.mixblockStep(studentStep);
        this.eval = FourHeadsEval.build(network, Map.of(), c.image());
        this.ema = new TeacherEma(studentStep, mixblockStep);
        this.mixRunner = new TrainStepRunner(mixblockStep, c.sessions());
        this.studentRunner = new TrainStepRunner(studentStep, c.sessions());
        this.hyper = c.hyper();
        this.alpha = c.alpha();
        Map<String, String> q = Map.of("correct_one", "top1_one_q", "correct_mix", "top1_mix_q");
        Map<String, String> k = Map.of("correct_one", "top1_one_k", "correct_mix", "top1_mix_k");
        this.classifiers = List.of(
                new Classifier("student (q)", eval, () -> Evaluations.byName(studentRunner.state()), q),
                new Classifier("teacher (k)", eval,
                        () -> Evaluations.stripped(mixRunner.state(), AutoMixStepGraphs.TEACHER_PREFIX), k));
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<StepGraph> graphs() {
        return List.of(mixblockStep, studentStep, eval);
    }

    @Override
    public Map<String, Double> step(Batch batch, Iteration it) {
        int n = batch.size();
        double lamK = Sampling.beta(it.rng(), alpha, alpha);
        double lamQ = Sampling.beta(it.rng(), alpha, alpha);
        long[] permK = Sampling.permutation(it.rng(), n);
        long[] permQ = Sampling.permutation(it.rng(), n);

        // phi-step: MixBlock through the frozen teacher (also emits the detached q mask)
        BatchFeeder.images(mixRunner, GraphIo.IMAGES, batch);
        BatchFeeder.labels(mixRunner, batch);
        BatchFeeder.longs(mixRunner, "perm_k", permK);
        BatchFeeder.longs(mixRunner, "perm_q", permQ);
        mixRunner.setHyper("lam_k", lamK);
        mixRunner.setHyper("lam_q", lamQ);
        hyper.apply(mixRunner, it.lr());
        mixRunner.setHyper(AutoMixStepGraphs.MASK_LOSS_WEIGHT, settings.maskLossWeight().applyAsDouble(it.index()));
        mixRunner.step();
        // MixBlock health from the k masks: they are what the generation and mask losses train, with their own
        // lam_k and no margin rule, whereas the student's q mask is replaced by MixUp near lam_q 0 or 1
        maskHealth.reset();
        maskHealth.add(mixRunner.resultTensor("mask_k").floats(), n, lamK);

        // theta-step: the student on the clean batch and on the q-mix
        BatchFeeder.images(studentRunner, GraphIo.IMAGES, batch);
        BatchFeeder.labels(studentRunner, batch);
        BatchFeeder.longs(studentRunner, GraphIo.PERMUTATION, permQ);
        MarginRule.studentMask(mixRunner.resultTensor("mask_q").floats(), lamQ,
                studentRunner.floatInput(SampleMixStep.MIX_MASK), settings.lamMargin());
        studentRunner.setHyper(GraphIo.LAMBDA, lamQ);
        hyper.apply(studentRunner, it.lr());
        studentRunner.step();

        // EMA: teacher <- m teacher + (1 - m) student (parameters only)
        double m = settings.emaMomentum().applyAsDouble(it.index());
        ema.update(mixRunner.state(), studentRunner.state(), m);

        Map<String, Double> out = new LinkedHashMap<>();
        out.put("loss", (double) studentRunner.result("loss"));
        out.put("loss_clean", (double) studentRunner.result("loss_clean"));
        out.put("loss_mix", (double) studentRunner.result("loss_mix"));
        out.put("loss_gen", (double) mixRunner.result("loss_gen"));
        out.put("loss_mask", (double) mixRunner.result("loss_mask"));
        out.put("train_top1", studentRunner.result("correct") / (double) n);
        out.put("ema_momentum", m);
        maskHealth.putInto(out);
        return out;
    }

    @Override
    public Map<String, StateStore> state() {
        Map<String, StateStore> s = new LinkedHashMap<>();
        s.put("student", studentRunner.state());
        s.put("teacher_mixblock", mixRunner.state());
        return s;
    }


    @Override
    public String primaryMetric() {
        return "top1_one_k";
    }

    @Override
    public List<Classifier> classifiers() {
        return classifiers;
    }

    @Override
    public void close() {
        mixRunner.close();
        studentRunner.close();
    }
}
