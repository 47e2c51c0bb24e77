package org.automixonnx.mixup;

import java.nio.FloatBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.automixonnx.data.Batch;
import org.automixonnx.graphs.EvalGraph;
import org.automixonnx.graphs.GraphIo;
import org.automixonnx.graphs.Sgd;
import org.automixonnx.graphs.StepGraph;
import org.automixonnx.models.ImageClassifier;
import org.automixonnx.runtime.StateStore;
import org.automixonnx.runtime.TrainStepRunner;

/**
 * PuzzleMix (Kim et al. 2020) as a training method. Per iteration: {@code lam ~ Beta(alpha, alpha)}, a uniform
 * permutation and a block grid side B (uniform over {@link PuzzleMixer#blockCounts}); the {@link InputSaliency} graph
 * gives every pixel's saliency under the current classifier; {@link PuzzleMixer} labels the blocks and transports
 * them; the shared {@link SampleMixStep} graph, {@link SampleMixStep#perSample per sample}, mixes the transported
 * images under each sample's mask and trains with soft-target CE at each sample's ratio.
 */
public final class PuzzleMix extends SnapshottingMethod {
    public static final String NAME = "puzzlemix";

    /** One iteration's draws. */
    public record Draw(double lam, long[] perm, int blocks) {
    }

    private final double alpha;
    private final PuzzleMixer mixer;
    private final List<Integer> blockCounts;
    private final StepGraph step;
    private final StepGraph eval;
    private final TrainStepRunner runner;
    private final InputSaliency saliency;
    private final SgdHyper hyper;
    private final List<Classifier> classifiers;

    public PuzzleMix(MethodContext c) {
        if (!(c.alpha() > 0)) {
            throw new IllegalArgumentException(NAME + ": alpha must be > 0, got " + c.alpha());
        }
        ImageClassifier network = c.classifier();
        long[] image = c.image();
        this.alpha = c.alpha();
        this.mixer = new PuzzleMixer(c.options(PuzzleMixOptions.class).settings(), c.std());
        this.blockCounts = PuzzleMixer.blockCounts((int) image[1], (int) image[2]);
        this.hyper = c.hyper();
        this.step = new SampleMixStep(network, new Sgd(c.nesterov()), c.batchSize(), image).perSample(true)
                .seed(c.seed()).convLowering(c.sessions().convLowering()).form(c.form()).build();
        this.eval = new EvalGraph(network, image).build();
        this.runner = new TrainStepRunner(step, c.sessions());
        InputSaliency s;
        try {
            s = new InputSaliency(eval, "logits", c.batchSize(), image, c.sessions());
        } catch (RuntimeException e) {
            runner.close();
            throw e;
        }
        this.saliency = s;
        this.classifiers = List.of(Classifier.singleModel(eval, () -> Evaluations.byName(runner.state())));
    }

    /** lam, then the permutation, then the block grid, all from {@code rng}. */
    public static Draw draw(double alpha, List<Integer> blockCounts, SplittableRandom rng, int samples) {
        double lam = Sampling.beta(rng, alpha, alpha);
        long[] perm = Sampling.permutation(rng, samples);
        int blocks = blockCounts.get(rng.nextInt(blockCounts.size()));
        return new Draw(lam, perm, blocks);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<StepGraph> graphs() {
        return List.of(step, saliency.graph(), eval);
    }

    @Override
    public Map<String, Double> step(Batch batch, Iteration it) {
        Draw d = draw(alpha, blockCounts, it.rng(), batch.size());
        float[] s = saliency.compute(batch.images(), batch.labels(), Evaluations.byName(runner.state()));
        PuzzleMixer.Mix mix = mixer.mix(batch.images(), batch.channels(), batch.height(), batch.width(), s, d.perm(),
                d.lam(), d.blocks());
        BatchFeeder.floats(runner, GraphIo.IMAGES, mix.own());
        BatchFeeder.floats(runner, "x_partner", mix.partner());
        BatchFeeder.labels(runner, batch);
        BatchFeeder.longs(runner, GraphIo.PERMUTATION, d.perm());
        BatchFeeder.floats(runner, SampleMixStep.MIX_MASK, mix.mask());
        FloatBuffer lam = runner.floatInput(GraphIo.LAMBDA);
        double mean = 0;
        for (int i = 0; i < mix.lam().length; i++) {
            lam.put(i, (float) mix.lam()[i]);
            mean += mix.lam()[i] / mix.lam().length;
        }
        hyper.apply(runner, it.lr());
        runner.step();
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("loss", (double) runner.result("loss"));
        out.put("lam", mean);
        out.put("lam_prior", d.lam());
        out.put("blocks", (double) d.blocks());
        return out;
    }

    @Override
    public Map<String, StateStore> state() {
        return Map.of("student", runner.state());
    }

    @Override
    public List<Classifier> classifiers() {
        return classifiers;
    }

    @Override
    public void close() {
        saliency.close();
        runner.close();
    }
}
