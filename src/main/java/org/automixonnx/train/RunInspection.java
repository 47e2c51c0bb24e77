package org.automixonnx.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.automixonnx.data.BatchLoader;
import org.automixonnx.data.ImageDataset;
import org.automixonnx.graphs.StepGraph;
import org.automixonnx.mixup.AutoMixOptions;
import org.automixonnx.mixup.MethodNeed;
import org.automixonnx.mixup.MethodRegistry;
import org.automixonnx.mixup.MixBlockMaskGraph;
import org.automixonnx.mixup.MixMethod;
import org.automixonnx.models.ImageClassifier;
import org.automixonnx.onnx.HeapBudget;
import org.automixonnx.onnx.Tensor;
import org.automixonnx.runtime.CheckpointMeta;
import org.automixonnx.runtime.StateFile;

/**
 * Looks at a finished (or running) training run from its folder: evaluates a checkpoint on the test set
 * with the same classifiers training reports, and draws the MixBlock's mixes.
 */
public final class RunInspection {
    private final RunFolder run;
    private final TrainConfig config;

    public RunInspection(Path runDir) throws IOException {
        this.run = RunFolder.existing(runDir);
        this.config = run.readConfig();
    }

    public TrainConfig config() {
        return config;
    }

    /**
     * The checkpoint file {@code name} ("last", "best", "epoch-002", with or without ".state") names in the run
     * folder. Only such a plain name is accepted: a path ("../../x") would read a file outside the run, and the
     * report named after it would be written there.
     */
    private Path checkpointFile(String name) throws IOException {
        String file = name.endsWith(".state") ? name : name + ".state";
        if (file.startsWith(".") || file.contains("/") || file.contains("\\")) {
            throw new ConfigException("--checkpoint " + name + ": give the name of a checkpoint in the run folder ("
                    + String.join(", ", checkpointNames()) + ")");
        }
        Path f = run.resolve(file);
        if (!Files.isRegularFile(f)) {
            throw new ConfigException("run " + run.dir() + " has no checkpoint " + file + " (it has: "
                    + String.join(", ", checkpointNames()) + "; checkpoints are written when an epoch ends)");
        }
        return f;
    }

    /** The checkpoints in the run folder by the names --checkpoint takes (last, best, epoch-NNN). */
    private List<String> checkpointNames() throws IOException {
        try (Stream<Path> s = Files.list(run.dir())) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".state") && !n.startsWith("."))
                    .map(n -> n.substring(0, n.length() - ".state".length())).sorted().toList();
        }
    }

    /**
     * The evaluation suite of a checkpoint ({@code last} or {@code best}) on the test set: every classifier's
     * top-1 (AutoMix: one/mix head x q/k encoder) and the primary classifier's full suite; written to the run
     * folder ({@link EvalReport#write}). {@code dataDir} may point at another copy of the data set.
     */
    public EvalReport evaluate(String checkpointName, String dataDir, Integer testLimit) throws IOException {
        return evaluate(checkpointName, null, dataDir, testLimit);
    }

    /**
     * As {@link #evaluate(String, String, Integer)} with the suite on the classifier logged as {@code classifier}
     * (e.g. AutoMix's {@code top1_mix_k}); null: the method's primary classifier.
     */
    public EvalReport evaluate(String checkpointName, String classifier, String dataDir, Integer testLimit)
            throws IOException {
        TrainConfig c = config.copy();
        if (dataDir != null) {
            c.data = dataDir;
        }
        if (testLimit != null) {
            c.testLimit = testLimit;
        }
        // held while evaluating (and taken first, so a busy run fails at once, before its checkpoints are looked
        // at): no training process may write the checkpoint or the reports meanwhile
        try (RunFolder locked = RunFolder.lockExisting(run.dir())) {
            Path file = checkpointFile(checkpointName);
            StateFile state = StateFile.read(file);
            RunSetup setup = RunSetup.of(c, run.dir());
            DataMatch.check(CheckpointMeta.fromJson(state.meta(), file), setup.data(), file, DataSets.folder(c));
            try (BatchLoader train = setup.trainLoader();
                    MixMethod method = setup.method(train.batchesPerEpoch());
                    BatchLoader test = setup.testLoader();
                    Evaluator evaluator = new Evaluator(setup.sessions())) {
                method.state().values().forEach(s -> s.names().forEach(n -> {
                    Tensor t = state.tensors().get(n);
                    if (t == null) {
                        throw new ConfigException("checkpoint has no tensor '" + n + "' (written by another version?)");
                    }
                    s.put(n, t);
                }));
                String metric = classifier != null ? classifier : method.primaryMetric();
                EvalSuite.reporting(method, metric); // an unknown name is refused before anything is evaluated
                EvalReport report = HeapBudget.during("evaluating " + file, () -> setup.evalSuite().run(method, metric,
                        test, evaluator.evaluate(method.classifiers(), test), checkpointName.replaceAll("\\.state$",
                        "")));
                report.write(run.dir());
                return report;
            }
        }
    }

    /**
     * The paper's Fig. 4 for an AutoMix run: {@code pairs} test images (A) with partners (B), mixed by the
     * trained MixBlock at lambda 0, 0.3, 0.5, 0.7, 1, with the masks and their statistics per lambda.
     */
    public MixGrid.Drawing mixGrid(String checkpointName, int pairs, int scale) throws IOException {
        if (!RunMethod.spec(config.method).has(MethodNeed.MIX_BLOCK)) {
            throw new ConfigException("visualize needs the run of a method with a MixBlock (" + String.join(", ",
                    MethodRegistry.standard().namesNeeding(MethodNeed.MIX_BLOCK)) + "); this run trained with "
                    + config.method);
        }
        Path file = checkpointFile(checkpointName);
        StateFile state = StateFile.read(file);
        RunSetup setup = RunSetup.of(config, run.dir());
        DataMatch.check(CheckpointMeta.fromJson(state.meta(), file), setup.data(), file, DataSets.folder(config));
        ImageDataset test = setup.data().test();
        if (test.size() < 2 * pairs) {
            throw new ConfigException("the test set has " + test.size() + " images, fewer than " + 2 * pairs);
        }
        long[] image = setup.image();
        int per = (int) (image[0] * image[1] * image[2]);
        float[] images = new float[2 * pairs * per];
        long[] partners = new long[2 * pairs];
        try (BatchLoader loader = new BatchLoader(test.head(2 * pairs), 2 * pairs, false, false,
                setup.data().testTransform(), 0, 1)) {
            System.arraycopy(loader.batch(0, 0, loader.order(0)).images(), 0, images, 0, images.length);
        }
        for (int i = 0; i < 2 * pairs; i++) {
            partners[i] = (i + pairs) % (2 * pairs);
        }
        ImageClassifier network = (ImageClassifier) setup.network();
        AutoMixOptions a = config.automix;
        StepGraph g = MixBlockMaskGraph.build(network, a.tapOn(network, config.featureTap), a.mixBlock(), 2 * pairs,
                image);
        // the first half of the images and their partners make every pair (the second half would repeat them as B, A)
        return MixGrid.render(g, state.tensors(), images, partners, pairs, image,
                setup.data().mean(), setup.data().std(), Math.max(1, scale), setup.sessions());
    }
}
