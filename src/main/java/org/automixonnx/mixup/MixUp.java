package org.automixonnx.mixup;

import java.nio.FloatBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.automixonnx.data.Batch;
import org.automixonnx.graphs.EvalGraph;
import org.automixonnx.graphs.Sgd;
import org.automixonnx.graphs.StepGraph;
import org.automixonnx.models.ImageClassifier;
import org.automixonnx.runtime.SessionFactory;
import org.automixonnx.runtime.StateStore;
import org.automixonnx.runtime.TrainStepRunner;

/**
 * MixUp (Zhang et al.): {@code x_mix = lam x + (1 - lam) x[perm]}, label weight lam, lam ~ Beta(alpha, alpha),
 * on the shared sample-mixing step with a per-sample constant mask.
 */
public final class MixUp implements MixMethod {
    private final StepGraph train;
    private final StepGraph eval;
    private final TrainStepRunner runner;
    private final SgdHyper hyper;
    private final double alpha;
    private final List<Classifier> classifiers;

    public MixUp(ImageClassifier network, int batch, long[] image, long seed, boolean nesterov, SgdHyper hyper, double alpha,
            SessionFactory sessions) {
        this.train = new SampleMixStep(network, new Sgd(nesterov), batch, image).pixelMask(false).seed(seed).build();
        this.eval = new EvalGraph(network, image).build();
        this.runner = new TrainStepRunner(train, sessions);
        this.hyper = hyper;
        this.alpha = alpha;
        this.classifiers = List.of(new Classifier("model", eval, () -> Evaluations.byName(runner.state()),
                Map.of("correct", "top1")));
    }

    @Override
    public String name() {
        return "mixup";
    }

    @Override
    public List<StepGraph> graphs() {
        return List.of(train, eval);
    }

    @Override
    public Map<String, Double> step(Batch batch, Iteration it) {
        double lam = Sampling.beta(it.rng(), alpha, alpha);
        long[] perm = Sampling.permutation(it.rng(), batch.size());
        BatchFeeder.images(runner, "x", batch);
        BatchFeeder.labels(runner, batch);
        BatchFeeder.longs(runner, "perm", perm);
        FloatBuffer mask = runner.floatInput("mix_mask");
        for (int i = 0; i < batch.size(); i++) {
            mask.put(i, (float) lam);
        }
        runner.setHyper("lam", lam);
        hyper.apply(runner, it.lr());
        runner.step();
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("loss", (double) runner.result("loss"));
        return out;
    }

    @Override
    public Map<String, StateStore> state() {
        return Map.of("student", runner.state());
    }

    @Override
    public String primaryMetric() {
        return "top1";
    }

    @Override
    public List<Classifier> classifiers() {
        return classifiers;
    }

    @Override
    public void close() {
        runner.close();
    }
}
