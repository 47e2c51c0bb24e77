package org.automixonnx.train;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;
import org.automixonnx.data.Batch;
import org.automixonnx.data.BatchLoader;
import org.automixonnx.graphs.Manifest;
import org.automixonnx.mixup.Iteration;
import org.automixonnx.mixup.MixMethod;

/**
 * The training loop: epochs of iterations of a {@link MixMethod} over the training loader, the cosine
 * learning rate per epoch, evaluation of the method's classifiers after each epoch, the evaluation suite once
 * at the end, and the run folder's outputs (metrics, curves, eval.json, reliability.png, status), with a warning
 * once when AutoMix's masks stay flat ({@link FlatMaskWarning}).
 *
 * <p>Divergence ({@code --on-nan}): the loss terms are checked after every step. Under {@code stop} (the default)
 * a NaN or infinite term stops the run with a {@link DivergenceException} naming the iteration, epoch, batch and
 * term, and the state is checked before every checkpoint, so a non-finite state is never saved. Under
 * {@code skip} the state is also checked after every step, and a bad step is rolled back (the method's snapshot
 * before the step), counted in {@code skipped_steps} and left out of the epoch's loss means;
 * {@value #MAX_CONSECUTIVE_SKIPS} skipped steps in a row stop the run anyway.
 */
public final class Trainer {
    private final TrainConfig config;
    private final RunFolder run;
    private final MixMethod method;
    private final BatchLoader train;
    private final BatchLoader test;
    private final Evaluator evaluator;
    private final EvalSuite suite;
    private final PrintWriter out;
    private final CosineLr lr;
    private BooleanSupplier stop = () -> false;

    public Trainer(TrainConfig config, RunFolder run, MixMethod method, BatchLoader train, BatchLoader test,
            Evaluator evaluator, EvalSuite suite, PrintWriter out, double minLr) {
        this.config = config;
        this.run = run;
        this.method = method;
        this.train = train;
        this.test = test;
        this.evaluator = evaluator;
        this.suite = suite;
        this.out = out;
        this.lr = new CosineLr(config.lr, minLr, config.epochs, config.warmupEpochs, 0.1);
    }

    /**
     * Stops before the next iteration, as if killed there, once {@code stop} says so (nothing more is written; see
     * {@link Interruption}).
     */
    Trainer stopWhen(BooleanSupplier stop) {
        this.stop = stop;
        return this;
    }

    private long totalIterations() {
        return (long) config.epochs * train.batchesPerEpoch();
    }

    /**
     * Trains from {@code start} (epoch 0 for a new run; on resume an epoch boundary, or the middle of an epoch as
     * a mid-epoch checkpoint saved it: the epoch's first {@code start.batch()} batches are skipped and its loss
     * sums carried on) to the config's last epoch, saving last.state after every epoch and best.state when the
     * primary accuracy improves; returns this call's epoch records. Stops as if killed before epoch
     * {@code stopEpoch} or before global iteration {@code stopIteration}, whichever comes first (nothing after the
     * last checkpoint is kept; the run stays "running"): tests compare such interrupted runs with straight ones.
     */
    public List<EpochRecord> run(TrainPosition start, int stopEpoch, long stopIteration, Checkpoints checkpoints)
            throws IOException {
        int startEpoch = start.epoch();
        // also at epoch 0: a run killed after logging epoch 0 but before its checkpoint redoes (and re-logs) it
        MetricsLog log = MetricsLog.resume(run.dir(), startEpoch);
        Manifest.writeAll(method.graphs(), run.graphs());
        run.status(RunFolder.RUNNING, Map.of("epoch", startEpoch));
        List<EpochRecord> records = new ArrayList<>();
        double best = start.best();
        for (int epoch = startEpoch; epoch < Math.min(stopEpoch, config.epochs); epoch++) {
            TrainPosition from = epoch == startEpoch ? start : TrainPosition.startOf(epoch, best);
            EpochRecord r = epoch(from, checkpoints, stopIteration);
            if (r == null) {
                return records;
            }
            double primary = r.accuracy().getOrDefault(method.primaryMetric(), Double.NaN);
            boolean improved = primary > best;
            best = Math.max(best, primary);
            // the log first: a kill before last.state is written redoes the epoch and drops its row again
            log.append(r);
            records.add(r);
            requireFiniteState("after epoch " + (epoch + 1) + " (iteration " + ((epoch + 1L) * train.batchesPerEpoch() - 1)
                    + ")");
            checkpoints.save(Checkpoints.LAST, method, epoch + 1, best, r.accuracy());
            if (improved) {
                checkpoints.save(Checkpoints.BEST, method, epoch + 1, best, r.accuracy());
            }
            int every = config.checkpointEveryOrOff();
            if (every > 0 && (epoch + 1) % every == 0) {
                checkpoints.save(Checkpoints.epochFile(epoch + 1), method, epoch + 1, best, r.accuracy());
            }
            Curves.write(log.rows(), run.resolve("loss.png"), run.resolve("accuracy.png"),
                    run.resolve("mixblock.png"));
            ConsoleProgress.summary(out, r, config.epochs);
            String flatMasks = FlatMaskWarning.check(log.rows());
            if (flatMasks != null) {
                out.println(flatMasks);
                out.flush();
            }
            run.status(RunFolder.RUNNING, Map.of("epoch", epoch + 1));
        }
        if (stopEpoch < config.epochs || stop.getAsBoolean()) {
            return records;
        }
        // the heavy evaluation suite, once, on the final state (as `eval` computes it from last.state)
        Map<String, Double> accuracy = records.isEmpty() ? evaluator.evaluate(method.classifiers(), test)
                : records.get(records.size() - 1).accuracy();
        EvalReport report = suite.run(method, test, accuracy, EvalReport.LAST);
        report.write(run.dir());
        report.print(out);
        Map<String, Object> done = new LinkedHashMap<>();
        done.put("epochs", config.epochs);
        List<Map<String, Object>> rows = log.rows();
        done.put("final", rows.isEmpty() ? Map.of() : rows.get(rows.size() - 1));
        done.put("best_" + method.primaryMetric(), best);
        done.put("eval", report.metrics());
        // over the whole run: the rows of epochs trained before a resume count too
        long skipped = rows.stream().mapToLong(r -> r.get(SKIPPED_STEPS) instanceof Number n ? n.longValue() : 0).sum();
        String outcome = skipped == 0 ? null
                : "finished with " + skipped + " of " + totalIterations() + " steps skipped";
        if (outcome != null) {
            done.put(SKIPPED_STEPS, skipped);
            done.put("outcome", outcome);
        }
        run.status(RunFolder.FINISHED, done);
        if (outcome != null) {
            // the last line: a run that skipped steps did not learn from all its batches
            out.println(outcome + " (--on-nan skip): " + run.dir());
        }
        return records;
    }

    /** Steps discarded for a non-finite loss (nanPolicy skip) in an epoch's metrics row and in status.json. */
    static final String SKIPPED_STEPS = "skipped_steps";

    /** A run of skipped steps this long means training cannot recover: stop even under nanPolicy skip. */
    static final int MAX_CONSECUTIVE_SKIPS = 10;

    /**
     * One epoch from {@code from}; writes a mid-epoch last.state every {@code checkpointIterations} iterations
     * (when {@code checkpoints} is given) and returns null when stopped before global iteration
     * {@code stopIteration}.
     */
    private EpochRecord epoch(TrainPosition from, Checkpoints checkpoints, long stopIteration) throws IOException {
        int epoch = from.epoch();
        double epochLr = lr.at(epoch);
        int batches = train.batchesPerEpoch();
        Map<String, Double> sums = new LinkedHashMap<>(from.sums());
        long images = from.images();
        int counted = from.counted();
        int skipped = from.skipped();
        int skippedInARow = 0;
        int every = config.checkpointIterationsOrOff();
        boolean skipNonFinite = config.skipNonFiniteSteps();
        long t0 = System.nanoTime();
        long imagesAtStart = images;
        try (ConsoleProgress bar = new ConsoleProgress(config.progress, "epoch " + (epoch + 1), batches)) {
            Iterator<Batch> it = from.batch() == 0 ? train.epoch(epoch) : train.epoch(epoch, from.batch());
            for (int b = from.batch(); b < batches; b++) {
                long index = (long) epoch * batches + b;
                if (index >= stopIteration || stop.getAsBoolean()) {
                    return null;
                }
                Batch batch = it.next();
                Iteration iteration = new Iteration(epoch, index, totalIterations(), epochLr,
                        new SplittableRandom(BatchLoaderSeeds.iteration(config.seed, index)));
                if (skipNonFinite) {
                    method.snapshot();
                }
                Map<String, Double> losses = method.step(batch, iteration);
                String bad = nonFinite(losses);
                if (bad == null && skipNonFinite) {
                    // a step may overflow the state (e.g. BN statistics) before any loss is non-finite; under
                    // "stop" the state is checked before each checkpoint instead (a full scan per step costs)
                    String tensor = Checkpoints.nonFiniteTensor(method);
                    bad = tensor == null ? null : "the updated state tensor '" + tensor + "' holds NaN or Inf";
                }
                if (bad != null) {
                    String where = " at iteration " + index + " (epoch " + (epoch + 1) + ", batch " + b + ")";
                    if (!skipNonFinite) {
                        throw new DivergenceException(bad + where + "; stopped, the last good checkpoint is kept"
                                + " (--on-nan skip discards such steps instead)");
                    }
                    method.rollback();
                    skipped++;
                    if (++skippedInARow >= MAX_CONSECUTIVE_SKIPS) {
                        throw new DivergenceException(bad + where + "; " + skippedInARow
                                + " steps in a row were skipped, training does not recover; stopped, the last good"
                                + " checkpoint is kept");
                    }
                    out.println("skipped iteration " + index + ": " + bad);
                } else {
                    skippedInARow = 0;
                    losses.forEach((k, v) -> sums.merge(k, v, Double::sum));
                    images += batch.size();
                    counted++;
                }
                double secs = (System.nanoTime() - t0) / 1e9;
                bar.step(losses.getOrDefault("loss", Double.NaN), (images - imagesAtStart) / secs);
                if (checkpoints != null && every > 0 && (b + 1) % every == 0 && b + 1 < batches) {
                    TrainPosition at = new TrainPosition(epoch, b + 1, sums, images, counted, skipped, from.best());
                    requireFiniteState("after iteration " + index + " (epoch " + (epoch + 1) + ", batch " + b + ")");
                    checkpoints.save(Checkpoints.LAST, method, epoch, from.best(), Map.of(), at);
                }
            }
        }
        double trainSeconds = (System.nanoTime() - t0) / 1e9;
        Map<String, Double> means = new LinkedHashMap<>();
        int n = counted;
        sums.forEach((k, v) -> means.put(k, v / n));
        Map<String, Double> acc = evaluator.evaluate(method.classifiers(), test);
        Map<String, Double> schedule = new LinkedHashMap<>();
        schedule.put("lr", epochLr);
        if (skipped > 0) {
            schedule.put(SKIPPED_STEPS, (double) skipped);
        }
        return new EpochRecord(epoch, means, schedule, acc, (images - imagesAtStart) / trainSeconds,
                (System.nanoTime() - t0) / 1e9);
    }

    /** Before a checkpoint: a state that went NaN/Inf with finite losses stops the run, keeping the last one. */
    private void requireFiniteState(String when) {
        String tensor = Checkpoints.nonFiniteTensor(method);
        if (tensor != null) {
            throw new DivergenceException("state tensor '" + tensor + "' holds NaN or Inf " + when
                    + "; stopped, the last good checkpoint is kept (--on-nan skip discards such steps instead)");
        }
    }

    /** "loss term 'x' is NaN" for the first non-finite term, or null. */
    private static String nonFinite(Map<String, Double> losses) {
        for (Map.Entry<String, Double> e : losses.entrySet()) {
            if (!Double.isFinite(e.getValue())) {
                return "loss term '" + e.getKey() + "' is " + e.getValue();
            }
        }
        return null;
    }
}
