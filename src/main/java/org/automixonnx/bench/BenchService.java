package org.automixonnx.bench;

import java.io.PrintWriter;
import java.io.Writer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.automixonnx.data.Batch;
import org.automixonnx.graphs.GraphIo;
import org.automixonnx.mixup.Iteration;
import org.automixonnx.mixup.MixMethod;
import org.automixonnx.runtime.SessionFactory;
import org.automixonnx.runtime.TrainStepRunner;

/**
 * Times a train step on the step runner, or a method's whole iteration: one random batch (the data loader is
 * not part of the measure), {@code warmup} untimed steps (ORT allocates its arenas and JIT settles), then
 * {@code steps} timed steps.
 */
public final class BenchService {
    private final SessionFactory sessions;
    private final PrintWriter progress;

    public BenchService(SessionFactory sessions) {
        this(sessions, new PrintWriter(Writer.nullWriter()));
    }

    /** With a line on {@code progress} when the warm-up is over: a long benchmark shows it is timing. */
    public BenchService(SessionFactory sessions, PrintWriter progress) {
        this.sessions = sessions;
        this.progress = progress;
    }

    public BenchResult run(StepWorkload w, int steps, int warmup) {
        check(steps, warmup);
        try (TrainStepRunner runner = new TrainStepRunner(w.graph(), sessions)) {
            setHyperParameters(runner, w);
            RandomBatch.fill(runner, w.classes(), 42);
            Timing timing = time(runner::step, steps, warmup);
            String profile = sessions.profiling() ? runner.endProfiling() : null;
            return result(w.label(), w.batchSize(), warmup, timing, profile);
        }
    }

    /**
     * Times {@link MixMethod#step} at learning rate {@code lr}; iteration i draws its lambdas and pairings
     * from a generator seeded with i, as training does. ORT writes the profiles (when enabled) as the
     * method's sessions close, one file per graph in the profile folder.
     */
    public BenchResult run(MethodWorkload w, int steps, int warmup, double lr) {
        check(steps, warmup);
        long total = (long) steps + warmup;
        Batch batch = RandomBatch.images(w.batchSize(), w.classes(), w.image(), 42);
        Timing timing;
        try (MixMethod method = w.method().apply(Math.toIntExact(total))) {
            long[] next = {0};
            timing = time(() -> {
                long i = next[0]++;
                method.step(batch, new Iteration(0, i, total, lr, new SplittableRandom(i)));
            }, steps, warmup);
        }
        return result(w.label(), w.batchSize(), warmup, timing, null);
    }

    private static void check(int steps, int warmup) {
        if (steps < 1 || warmup < 0) {
            throw new IllegalArgumentException("need at least 1 timed step and no negative warm-up (got steps=" + steps
                    + ", warmup=" + warmup + ")");
        }
    }

    /** Step times of the timed steps, and each graph's mean run time per timed step (from the factory's ledger). */
    private record Timing(double[] seconds, Map<String, Double> graphSeconds) {
    }

    private Timing time(Runnable step, int steps, int warmup) {
        for (int i = 0; i < warmup; i++) {
            step.run();
        }
        progress.printf("warm-up done (%d steps); timing %d steps%n", warmup, steps);
        progress.flush();
        Map<String, Long> before = sessions.runTimes().totals();
        double[] seconds = new double[steps];
        for (int i = 0; i < steps; i++) {
            long t0 = System.nanoTime();
            step.run();
            seconds[i] = (System.nanoTime() - t0) / 1e9;
        }
        Map<String, Double> graphSeconds = new LinkedHashMap<>();
        sessions.runTimes().totals().forEach((graph, nanos) -> {
            long timed = nanos - before.getOrDefault(graph, 0L);
            if (timed > 0) {
                graphSeconds.put(graph, timed / 1e9 / steps);
            }
        });
        return new Timing(seconds, graphSeconds);
    }

    private BenchResult result(String label, int batchSize, int warmup, Timing timing, String profile) {
        return new BenchResult(label, batchSize, warmup, timing.seconds(), timing.graphSeconds(), PeakMemory.now(),
                sessions.device().toString(), sessions.threads(), profile);
    }

    private static void setHyperParameters(TrainStepRunner runner, StepWorkload w) {
        List<String> missing = new ArrayList<>();
        for (GraphIo io : runner.layout().hyperParameters()) {
            Double v = w.hyperParameters().get(io.name());
            if (v == null) {
                missing.add(io.name());
            } else {
                runner.setHyper(io.name(), v);
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("no benchmark value for hyper-parameter(s) " + missing + " of '"
                    + w.graph().name() + "'");
        }
    }
}
