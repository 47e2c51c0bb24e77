package org.automixonnx.mixup;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.automixonnx.data.Batch;
import org.automixonnx.graphs.EvalGraph;
import org.automixonnx.graphs.GraphIo;
import org.automixonnx.graphs.Sgd;
import org.automixonnx.graphs.StepGraph;
import org.automixonnx.graphs.TrainStepGraph;
import org.automixonnx.runtime.StateStore;
import org.automixonnx.runtime.TrainStepRunner;

/** Plain supervised training: one-hot cross-entropy on unmixed batches. */
public final class Vanilla extends SnapshottingMethod {
    public static final String NAME = "vanilla";

    private final StepGraph train;
    private final StepGraph eval;
    private final TrainStepRunner runner;
    private final SgdHyper hyper;
    private final List<Classifier> classifiers;

    public Vanilla(MethodContext c) {
        this.train = new TrainStepGraph(c.network(), new Sgd(c.nesterov()), c.batchSize(), c.image()).seed(c.seed())
                .convLowering(c.sessions().convLowering()).form(c.form()).build();
        this.eval = new EvalGraph(c.network(), c.image()).build();
        this.runner = new TrainStepRunner(train, c.sessions());
        this.hyper = c.hyper();
        this.classifiers = List.of(Classifier.singleModel(eval, () -> Evaluations.byName(runner.state())));
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<StepGraph> graphs() {
        return List.of(train, eval);
    }

    @Override
    public Map<String, Double> step(Batch batch, Iteration it) {
        BatchFeeder.images(runner, GraphIo.IMAGES, batch);
        BatchFeeder.labels(runner, batch);
        hyper.apply(runner, it.lr());
        runner.step();
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("loss", (double) runner.result("loss"));
        out.put("train_top1", runner.result("correct") / (double) batch.size());
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
        runner.close();
    }
}
