package org.automixonnx.mixup;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.automixonnx.data.Batch;
import org.automixonnx.graphs.EvalGraph;
import org.automixonnx.graphs.GraphIo;
import org.automixonnx.graphs.Sgd;
import org.automixonnx.graphs.StepGraph;
import org.automixonnx.models.ImageClassifier;
import org.automixonnx.runtime.StateStore;
import org.automixonnx.runtime.TrainStepRunner;

/**
 * Every sample-level mixup method (MixUp, CutMix, ManifoldMix, FMix, ResizeMix, SaliencyMix, GridMix): per
 * iteration {@code lam ~ Beta(alpha, alpha)}, a uniform permutation, then the method's {@link MaskGenerator} draws
 * the mask, the effective label weight and the mixing site; the shared {@link SampleMixStep} graph (one per site)
 * mixes and trains.
 *
 * <p>With several sites (ManifoldMix) each site's graph has its own runner; the one that ran last holds the live
 * state, and a runner about to run another site first takes the state over from it.
 */
public final class SampleMixMethod extends SnapshottingMethod {
    /** One iteration's draws: the pairing permutation and the generator's mix. */
    public record Draw(long[] perm, MixDraw mix) {
    }

    /** The factory of a sample-level method: its name and how its mask generator is made for the network. */
    public record SampleLevel(String name, Function<ImageClassifier, MaskGenerator> generator)
            implements MethodFactory {
        @Override
        public MixMethod create(MethodContext c) {
            return new SampleMixMethod(name, generator.apply(c.classifier()), c);
        }
    }

    /** The registry entry of a sample-level method (an image classifier, no options section), before its alpha. */
    public static MethodSpec spec(String name, Function<ImageClassifier, MaskGenerator> generator) {
        return MethodSpec.of(name, new SampleLevel(name, generator)).needing(MethodNeed.IMAGE_CLASSIFIER);
    }

    private final String name;
    private final MaskGenerator generator;
    private final double alpha;
    private final List<StepGraph> steps = new ArrayList<>();
    private final List<TrainStepRunner> runners = new ArrayList<>();
    private final StepGraph eval;
    private final SgdHyper hyper;
    private final List<Classifier> classifiers;
    private int snapshotLive;
    private int live;

    /** @param name the method's name in messages and metadata */
    public SampleMixMethod(String name, MaskGenerator generator, MethodContext c) {
        if (!(c.alpha() > 0)) {
            throw new IllegalArgumentException(name + ": alpha must be > 0, got " + c.alpha());
        }
        this.name = name;
        this.generator = generator;
        this.alpha = c.alpha();
        this.hyper = c.hyper();
        ImageClassifier network = c.classifier();
        try {
            for (String site : generator.sites()) {
                StepGraph g = new SampleMixStep(network, new Sgd(c.nesterov()), c.batchSize(), c.image())
                        .pixelMask(generator.pixelMask()).mixAt(site).seed(c.seed())
                        .convLowering(c.sessions().convLowering()).form(c.form()).build();
                steps.add(g);
                runners.add(new TrainStepRunner(g, c.sessions()));
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        this.eval = new EvalGraph(network, c.image()).build();
        this.classifiers = List.of(Classifier.singleModel(eval, () -> Evaluations.byName(liveState())));
    }

    /** lam, then the permutation, then the generator's own draws, all from {@code rng}. */
    public static Draw draw(MaskGenerator generator, double alpha, SplittableRandom rng, Batch batch) {
        double lam = Sampling.beta(rng, alpha, alpha);
        long[] perm = Sampling.permutation(rng, batch.size());
        return new Draw(perm, generator.draw(rng, lam, new Pairing(batch, perm)));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<StepGraph> graphs() {
        List<StepGraph> all = new ArrayList<>(steps);
        all.add(eval);
        return all;
    }

    @Override
    public Map<String, Double> step(Batch batch, Iteration it) {
        Draw d = draw(generator, alpha, it.rng(), batch);
        MixDraw mix = d.mix();
        TrainStepRunner runner = runnerAt(mix.site());
        BatchFeeder.floats(runner, GraphIo.IMAGES, mix.fedImages(batch));
        BatchFeeder.labels(runner, batch);
        BatchFeeder.longs(runner, GraphIo.PERMUTATION, d.perm());
        broadcast(mix.ownMask(), runner.floatInput(SampleMixStep.MIX_MASK), batch.size());
        runner.setHyper(GraphIo.LAMBDA, mix.lam());
        hyper.apply(runner, it.lr());
        runner.step();
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("loss", (double) runner.result("loss"));
        out.put("lam", mix.lam());
        return out;
    }

    /** The runner of {@code site}, holding the live state. */
    private TrainStepRunner runnerAt(int site) {
        if (site < 0 || site >= runners.size()) {
            throw new IllegalStateException(name + " drew mixing site " + site + " of " + runners.size());
        }
        if (site != live) {
            runners.get(site).loadFrom(runners.get(live).state());
            live = site;
        }
        return runners.get(live);
    }

    /** The batch-wide mask into every sample's slot of the graph's {@code mix_mask}. */
    private void broadcast(float[] mask, FloatBuffer target, int samples) {
        int per = target.limit() / samples;
        if (mask.length != per) {
            throw new IllegalStateException(name + " drew a mask of " + mask.length + " values; the step graph takes "
                    + per + " per sample");
        }
        for (int i = 0; i < samples; i++) {
            target.put(i * per, mask);
        }
    }

    private StateStore liveState() {
        return runners.get(live).state();
    }

    @Override
    public Map<String, StateStore> state() {
        return Map.of("student", liveState());
    }

    @Override
    public void snapshot() {
        snapshotLive = live;
        super.snapshot();
    }

    @Override
    public void rollback() {
        live = snapshotLive;
        super.rollback();
    }

    @Override
    public List<Classifier> classifiers() {
        return classifiers;
    }

    @Override
    public void close() {
        runners.forEach(TrainStepRunner::close);
    }
}
