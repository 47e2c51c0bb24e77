package org.automixonnx.train;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.automixonnx.data.BatchLoader;
import org.automixonnx.graphs.Network;
import org.automixonnx.mixup.MixMethod;
import org.automixonnx.models.ModelZoo;
import org.automixonnx.runtime.Device;
import org.automixonnx.runtime.SessionFactory;

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
        config.validate();
        MethodFactory.check(config.method);
        DataSets.Loaded data = DataSets.load(config);
        long[] image = data.inputShape();
        Network network;
        try {
            network = ModelZoo.create(config.model, data.train().channels(), data.train().numClasses());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
        RunFolder run = RunFolder.open(runDir, resume, force);
        run.writeConfig(config);
        SessionFactory sessions = new SessionFactory(Device.parse(config.device), config.threads, null);
        double minLr = config.minLr != null ? config.minLr : MethodFactory.defaultMinLr(config.method);
        out.printf("training %s on %s (%d train / %d test images, %s) with %s for %d epochs -> %s%n", config.model,
                data.name(), data.train().size(), data.test().size(), image[0] + "x" + image[1] + "x" + image[2],
                config.method, config.epochs, runDir);
        try (BatchLoader train = new BatchLoader(data.train(), config.batchSize, true, true, data.trainTransform(),
                        config.seed, config.loaderThreads);
                MixMethod method = MethodFactory.create(config, network, image, sessions, train.batchesPerEpoch());
                BatchLoader test = new BatchLoader(data.test(), config.batchSize, false, false, data.testTransform(),
                        config.seed, config.loaderThreads);
                Evaluator evaluator = new Evaluator(sessions)) {
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
                return new Trainer(config, run, method, train, test, evaluator, out, minLr).run(start, stopEpoch, best,
                        checkpoints);
            } catch (RuntimeException | IOException e) {
                run.status("failed", Map.of("error", String.valueOf(e.getMessage())));
                throw e;
            }
        }
    }
}
