package org.automixonnx.train;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.automixonnx.data.Batch;
import org.automixonnx.data.BatchLoader;
import org.automixonnx.graphs.Manifest;
import org.automixonnx.mixup.Iteration;
import org.automixonnx.mixup.MixMethod;

/**
 * The training loop: epochs of iterations of a {@link MixMethod} over the training loader, the cosine
 * learning rate per epoch, evaluation of the method's classifiers after each epoch, the evaluation suite once
 * at the end, and the run folder's outputs (metrics, curves, eval.json, reliability.png, status). Losses are checked every iteration: a NaN or infinite loss stops the
 * run naming the iteration and the loss term.
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

    public long totalIterations() {
        return (long) config.epochs * train.batchesPerEpoch();
    }

    /**
     * Trains epochs {@code startEpoch..epochs-1} (0 for a new run, the checkpoint's count on resume), saving
     * last.state after every epoch and best.state when the primary accuracy improves; returns this call's
     * epoch records.
     */
    public List<EpochRecord> run(int startEpoch, double bestSoFar, Checkpoints checkpoints) throws IOException {
        return run(startEpoch, config.epochs, bestSoFar, checkpoints);
    }

    /**
     * As {@link #run(int, double, Checkpoints)} but returning after epoch {@code stopEpoch - 1} as if the process
     * had been stopped there (the run stays "running" and resumes from its last checkpoint); lets a long run be
     * trained in slices, and tests compare interrupted runs with straight ones.
     */
    public List<EpochRecord> run(int startEpoch, int stopEpoch, double bestSoFar, Checkpoints checkpoints)
            throws IOException {
        MetricsLog log = startEpoch == 0 ? new MetricsLog(run.dir()) : MetricsLog.resume(run.dir(), startEpoch);
        Manifest.writeAll(method.graphs(), run.graphs());
        run.status("running", Map.of("epoch", startEpoch));
        List<EpochRecord> records = new ArrayList<>();
        double best = bestSoFar;
        for (int epoch = startEpoch; epoch < Math.min(stopEpoch, config.epochs); epoch++) {
            EpochRecord r = epoch(epoch);
            double primary = r.accuracy().getOrDefault(method.primaryMetric(), Double.NaN);
            boolean improved = primary > best;
            best = Math.max(best, primary);
            checkpoints.save(Checkpoints.LAST, method, epoch + 1, best, r.accuracy());
            if (improved) {
                checkpoints.save(Checkpoints.BEST, method, epoch + 1, best, r.accuracy());
            }
            log.append(r);
            records.add(r);
            Curves.write(log.rows(), run.resolve("loss.png"), run.resolve("accuracy.png"));
            ConsoleProgress.summary(out, r, config.epochs);
            run.status("running", Map.of("epoch", epoch + 1));
        }
        if (stopEpoch < config.epochs) {
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
        run.status("finished", done);
        return records;
    }

    EpochRecord epoch(int epoch) {
        double epochLr = lr.at(epoch);
        int batches = train.batchesPerEpoch();
        Map<String, Double> sums = new LinkedHashMap<>();
        long images = 0;
        long t0 = System.nanoTime();
        try (ConsoleProgress bar = new ConsoleProgress(config.progress, "epoch " + (epoch + 1), batches)) {
            Iterator<Batch> it = train.epoch(epoch);
            for (int b = 0; b < batches; b++) {
                Batch batch = it.next();
                long index = (long) epoch * batches + b;
                Iteration iteration = new Iteration(epoch, index, totalIterations(), epochLr,
                        new SplittableRandom(BatchLoaderSeeds.iteration(config.seed, index)));
                Map<String, Double> losses = method.step(batch, iteration);
                checkFinite(losses, epoch, b, index);
                losses.forEach((k, v) -> sums.merge(k, v, Double::sum));
                images += batch.size();
                double secs = (System.nanoTime() - t0) / 1e9;
                bar.step(losses.getOrDefault("loss", Double.NaN), images / secs);
            }
        }
        double trainSeconds = (System.nanoTime() - t0) / 1e9;
        Map<String, Double> means = new LinkedHashMap<>();
        sums.forEach((k, v) -> means.put(k, v / batches));
        Map<String, Double> acc = evaluator.evaluate(method.classifiers(), test);
        Map<String, Double> schedule = new LinkedHashMap<>();
        schedule.put("lr", epochLr);
        return new EpochRecord(epoch, means, schedule, acc, images / trainSeconds, (System.nanoTime() - t0) / 1e9);
    }

    private static void checkFinite(Map<String, Double> losses, int epoch, int batch, long index) {
        for (Map.Entry<String, Double> e : losses.entrySet()) {
            if (!Double.isFinite(e.getValue())) {
                throw new DivergenceException("loss term '" + e.getKey() + "' is " + e.getValue() + " at iteration "
                        + index + " (epoch " + (epoch + 1) + ", batch " + batch + ")");
            }
        }
    }
}
