package org.automixonnx.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.automixonnx.data.BatchLoader;
import org.automixonnx.data.ImageDataset;
import org.automixonnx.graphs.StepGraph;
import org.automixonnx.mixup.AutoMixOptions;
import org.automixonnx.mixup.MethodNeed;
import org.automixonnx.mixup.MethodRegistry;
import org.automixonnx.mixup.MixBlockMaskGraph;
import org.automixonnx.mixup.MixMethod;
import org.automixonnx.models.ImageClassifier;
import org.automixonnx.onnx.Tensor;
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

    private StateFile checkpoint(String name) throws IOException {
        Path f = run.resolve(name.endsWith(".state") ? name : name + ".state");
        if (!Files.isRegularFile(f)) {
            throw new ConfigException("run " + run.dir() + " has no checkpoint " + f.getFileName()
                    + " (checkpoints are written when an epoch ends)");
        }
        return StateFile.read(f);
    }

    /**
     * The evaluation suite of a checkpoint ({@code last} or {@code best}) on the test set: every classifier's
     * top-1 (AutoMix: one/mix head x q/k encoder) and the primary classifier's full suite; written to the run
     * folder ({@link EvalReport#write}). {@code dataDir} may point at another copy of the data set.
     */
    public EvalReport evaluate(String checkpointName, String dataDir, Integer testLimit) throws IOException {
        TrainConfig c = config.copy();
        if (dataDir != null) {
            c.data = dataDir;
        }
        if (testLimit != null) {
            c.testLimit = testLimit;
        }
        // held while evaluating (and checked first, so a busy run fails at once): no training process may write
        // the checkpoint or the reports meanwhile
        try (RunFolder locked = RunFolder.lockExisting(run.dir())) {
            RunSetup setup = RunSetup.of(c, run.dir());
            StateFile state = checkpoint(checkpointName);
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
                Map<String, Double> accuracy = evaluator.evaluate(method.classifiers(), test);
                EvalReport report = setup.evalSuite().run(method, test, accuracy,
                        checkpointName.replaceAll("\\.state$", ""));
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
        RunSetup setup = RunSetup.of(config, run.dir());
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
        return MixGrid.render(g, checkpoint(checkpointName).tensors(), images, partners, pairs, image,
                setup.data().mean(), setup.data().std(), Math.max(1, scale), setup.sessions());
    }
}
