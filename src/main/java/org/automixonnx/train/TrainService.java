package org.automixonnx.train;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.automixonnx.data.BatchLoader;
import org.automixonnx.mixup.MixMethod;

/** Sets up and runs a training run from a resolved config: data, model, method, loaders, loop. */
public final class TrainService {
    private final PrintWriter out;

    public TrainService(PrintWriter out) {
        this.out = out;
    }

    /** Starts a new run in {@code runDir} (refused when the folder holds anything, unless {@code force}). */
    public List<EpochRecord> train(TrainConfig config, Path runDir, boolean force) throws IOException {
        return run(config, runDir, false, force, Integer.MAX_VALUE);
    }

    /** A new run that stops after {@code stopAfterEpochs} epochs as if interrupted (resume continues it). */
    public List<EpochRecord> trainUntil(TrainConfig config, Path runDir, int stopAfterEpochs) throws IOException {
        return run(config, runDir, false, false, stopAfterEpochs);
    }

    /**
     * Continues the run in {@code runDir} from its last checkpoint with its saved config (optionally with more
     * epochs); the losses and accuracies are those the uninterrupted run would have produced.
     */
    public List<EpochRecord> resume(Path runDir, Integer epochs) throws IOException {
        TrainConfig saved = RunFolder.open(runDir, true, false).readConfig();
        if (epochs != null) {
            saved.epochs = epochs;
        }
        return run(saved, runDir, true, false, Integer.MAX_VALUE);
    }

    private List<EpochRecord> run(TrainConfig config, Path runDir, boolean resume, boolean force, int stopEpoch)
            throws IOException {
        RunSetup setup = RunSetup.of(config, resume ? runDir : Path.of(""));
        DataSets.Loaded data = setup.data();
        long[] image = setup.image();
        RunFolder run = RunFolder.open(runDir, resume, force);
        String model = config.modelName();
        if (!resume) {
            config = ModelSource.keepCopy(config, Path.of(""), run);
            setup = setup.withConfig(config);
        }
        run.writeConfig(config);
        out.printf("training %s on %s (%d train / %d test images, %s) with %s for %d epochs -> %s%n", model,
                data.name(), data.train().size(), data.test().size(), image[0] + "x" + image[1] + "x" + image[2],
                config.method, config.epochs, runDir);
        try (BatchLoader train = setup.trainLoader();
                MixMethod method = setup.method(train.batchesPerEpoch());
                BatchLoader test = setup.testLoader();
                Evaluator evaluator = new Evaluator(setup.sessions())) {
            Checkpoints checkpoints = new Checkpoints(run, config, data);
            int start = 0;
            double best = Double.NEGATIVE_INFINITY;
            if (resume) {
                Checkpoints.Resume r = checkpoints.restore(method);
                start = r.epochsDone();
                best = r.best();
                out.printf("resuming after epoch %d of %d%n", start, config.epochs);
            }
            try {
                return new Trainer(config, run, method, train, test, evaluator, setup.evalSuite(), out,
                        setup.minLr()).run(start, stopEpoch, best,
                        checkpoints);
            } catch (RuntimeException | IOException e) {
                run.status("failed", Map.of("error", String.valueOf(e.getMessage())));
                throw e;
            }
        }
    }
}
