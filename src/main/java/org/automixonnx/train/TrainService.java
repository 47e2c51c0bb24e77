package org.automixonnx.train;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.automixonnx.data.BatchLoader;
import org.automixonnx.mixup.MixMethod;
import org.automixonnx.onnx.HeapBudget;
import org.automixonnx.runtime.ProfileSummary;
import org.automixonnx.runtime.StateFile;

/** Sets up and runs a training run from a resolved config: data, model, method, loaders, loop. */
public final class TrainService {
    private final PrintWriter out;
    private final java.util.function.UnaryOperator<MixMethod> wrapMethod;

    public TrainService(PrintWriter out) {
        this(out, m -> m);
    }

    /** With every method passed through {@code wrapMethod} (tests inject faults with it). */
    TrainService(PrintWriter out, java.util.function.UnaryOperator<MixMethod> wrapMethod) {
        this.out = out;
        this.wrapMethod = wrapMethod;
    }

    /** Starts a new run in {@code runDir} (refused when the folder holds anything, unless {@code force}). */
    public List<EpochRecord> train(TrainConfig config, Path runDir, boolean force) throws IOException {
        return train(config, runDir, force, List.of());
    }

    /**
     * As {@link #train(TrainConfig, Path, boolean)}; {@code force} never deletes {@code otherInputs} (e.g. the
     * config file the command read), nor the config's data folder and model file.
     */
    public List<EpochRecord> train(TrainConfig config, Path runDir, boolean force,
            List<ForceReplace.Input> otherInputs) throws IOException {
        return run(config, runDir, false, force, otherInputs, Integer.MAX_VALUE, Long.MAX_VALUE);
    }

    /** The files and folders a new run with config {@code c} reads, which --force must not delete. */
    static List<ForceReplace.Input> inputs(TrainConfig c, List<ForceReplace.Input> otherInputs) {
        List<ForceReplace.Input> l = new ArrayList<>(otherInputs);
        Path data = DataSets.folder(c);
        if (data != null) {
            l.add(new ForceReplace.Input("--data", data));
        }
        if (c.modelFile != null) {
            l.add(new ForceReplace.Input("--model-file", Path.of(c.modelFile)));
        }
        return l;
    }

    /** A new run that stops after {@code stopAfterEpochs} epochs as if interrupted (resume continues it). */
    public List<EpochRecord> trainUntil(TrainConfig config, Path runDir, int stopAfterEpochs) throws IOException {
        return run(config, runDir, false, false, List.of(), stopAfterEpochs, Long.MAX_VALUE);
    }

    /**
     * A new run that stops before global iteration {@code stopIteration} as if killed there: what it did after
     * its last checkpoint is lost, and resume continues from that checkpoint.
     */
    public List<EpochRecord> trainUntilIteration(TrainConfig config, Path runDir, long stopIteration)
            throws IOException {
        return run(config, runDir, false, false, List.of(), Integer.MAX_VALUE, stopIteration);
    }

    /**
     * Continues the run in {@code runDir} from its last checkpoint with its saved config (optionally with more
     * epochs); the losses and accuracies are those the uninterrupted run would have produced.
     */
    public List<EpochRecord> resume(Path runDir, Integer epochs) throws IOException {
        return resume(runDir, epochs == null ? Map.of() : Map.of("epochs", epochs));
    }

    /**
     * As {@link #resume(Path, Integer)} with {@code overrides} of the saved config: the epoch count and the
     * settings that do not change the result (checkpoint intervals, NaN policy, device, threads, progress).
     */
    public List<EpochRecord> resume(Path runDir, Map<String, Object> overrides) throws IOException {
        TrainConfig saved = RunFolder.existing(runDir).readConfig();
        return run(saved.with(overrides), runDir, true, false, List.of(), Integer.MAX_VALUE, Long.MAX_VALUE);
    }

    /**
     * A resumed run locks its folder first, so a second process fails at once. A new run checks its folder first
     * but creates it only after everything else that can refuse the input (data, model file and taps, device,
     * profile folder, batch size against the data, graph building): a refused input leaves no folder behind and
     * deletes no old run.
     */
    private List<EpochRecord> run(TrainConfig config, Path runDir, boolean resume, boolean force,
            List<ForceReplace.Input> otherInputs, int stopEpoch, long stopIteration) throws IOException {
        java.time.Instant started = java.time.Instant.now();
        List<EpochRecord> records;
        if (!resume) {
            config = DataSets.anchored(config);
        }
        try (RunFolder resumed = resume ? RunFolder.lockExisting(runDir) : null;
                Interruption interruption = Interruption.install()) {
            RunFolder.NewFolder newFolder = resume ? null
                    : RunFolder.checkNew(runDir, force, inputs(config, otherInputs));
            RunSetup setup = RunSetup.of(config, resume ? runDir : Path.of(""));
            DataSets.Loaded data = setup.data();
            long[] image = setup.image();
            String model = config.modelName();
            // checked (config, data, epochs) before the method is built and before config.yaml is rewritten
            Checkpoints resumedCheckpoints = resume ? new Checkpoints(resumed, config, data) : null;
            StateFile last = resume && resumedCheckpoints.hasLast() ? resumedCheckpoints.readLast() : null;
            try (BatchLoader train = setup.trainLoader();
                    MixMethod method = wrapMethod.apply(setup.method(train.batchesPerEpoch()));
                    BatchLoader test = setup.testLoader();
                    Evaluator evaluator = new Evaluator(setup.sessions());
                    RunFolder created = resume ? null : newFolder.create()) {
                RunFolder run = resume ? resumed : created;
                if (!resume) {
                    config = ModelSource.keepCopy(config, Path.of(""), run);
                }
                run.writeConfig(config);
                out.printf("training %s on %s (%d train / %d %s images, %s) with %s for %d epochs -> %s%n", model,
                        data.name(), data.train().size(), data.test().size(), data.evalSet(),
                        image[0] + "x" + image[1] + "x" + image[2], config.method, config.epochs, runDir);
                records = restoreAndTrain(config, setup, run, method, train, test, evaluator, resume, last, stopEpoch,
                        stopIteration, interruption);
            }
        }
        // ORT writes a session's profile when the session closes, i.e. after the blocks above
        if (config.profile != null) {
            out.print(ProfileSummary.tables(Path.of(config.profile), started, 10));
        }
        return records;
    }

    /**
     * Restores the checkpoint {@code last} (checked by {@link Checkpoints#readLast}; null when a resumed run has
     * none yet), then runs the training loop until it ends or a signal stops it ({@link Interruption}: the run is
     * marked interrupted); a failure marks the run failed.
     */
    private List<EpochRecord> restoreAndTrain(TrainConfig config, RunSetup setup, RunFolder run, MixMethod method,
            BatchLoader train, BatchLoader test, Evaluator evaluator, boolean resume, StateFile last, int stopEpoch,
            long stopIteration, Interruption interruption) throws IOException {
        Checkpoints checkpoints = new Checkpoints(run, config, setup.data());
        TrainPosition start = TrainPosition.startOf(0, Double.NEGATIVE_INFINITY);
        if (resume && last == null) {
            out.printf("no checkpoint yet in %s: starting the run again from its first iteration%n", run.dir());
        } else if (resume) {
            Checkpoints.Resume r = checkpoints.restore(method, last);
            start = r.position();
            if (start.batch() == 0) {
                out.printf("resuming after epoch %d of %d%n", start.epoch(), config.epochs);
            } else {
                out.printf("resuming in epoch %d of %d after batch %d of %d%n", start.epoch() + 1, config.epochs,
                        start.batch(), train.batchesPerEpoch());
            }
        }
        List<EpochRecord> records;
        try {
            Trainer trainer = new Trainer(config, run, method, train, test, evaluator, setup.evalSuite(), out,
                    setup.minLr()).stopWhen(interruption::requested);
            TrainPosition from = start;
            records = HeapBudget.during("training in " + run.dir(),
                    () -> trainer.run(from, stopEpoch, stopIteration, checkpoints));
        } catch (RuntimeException | IOException | Error e) {
            // an Error too (out of memory): the run must not stay "running"
            try {
                run.status(RunFolder.FAILED, Map.of("error", String.valueOf(e.getMessage())));
            } catch (IOException | RuntimeException statusFailed) {
                // e.g. the disk is full: the original error is what the user needs to see
                e.addSuppressed(statusFailed);
            }
            throw e;
        }
        // a signal that came during the final evaluation leaves the run finished
        if (interruption.requested() && RunFolder.RUNNING.equals(run.readStatus())) {
            run.status(RunFolder.INTERRUPTED, Map.of("reason", "stopped by a signal; train --resume continues from"
                    + " the last checkpoint"));
            throw interruption.stopped(run);
        }
        return records;
    }
}
