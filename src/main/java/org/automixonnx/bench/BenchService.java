package org.automixonnx.bench;

import java.util.ArrayList;
import java.util.List;
import org.automixonnx.graphs.GraphIo;
import org.automixonnx.runtime.SessionFactory;
import org.automixonnx.runtime.TrainStepRunner;

/**
 * Times a train step on the step runner: one random batch (the data loader is not part of the measure),
 * {@code warmup} untimed steps (ORT allocates its arenas and JIT settles), then {@code steps} timed steps.
 */
public final class BenchService {
    private final SessionFactory sessions;

    public BenchService(SessionFactory sessions) {
        this.sessions = sessions;
    }

    public BenchResult run(StepWorkload w, int steps, int warmup) {
        if (steps < 1 || warmup < 0) {
            throw new IllegalArgumentException("need at least 1 timed step and no negative warm-up (got steps=" + steps
                    + ", warmup=" + warmup + ")");
        }
        try (TrainStepRunner runner = new TrainStepRunner(w.graph(), sessions)) {
            setHyperParameters(runner, w);
            RandomBatch.fill(runner, w.classes(), 42);
            for (int i = 0; i < warmup; i++) {
                runner.step();
            }
            double[] seconds = new double[steps];
            for (int i = 0; i < steps; i++) {
                long t0 = System.nanoTime();
                runner.step();
                seconds[i] = (System.nanoTime() - t0) / 1e9;
            }
            String profile = sessions.profiling() ? runner.endProfiling() : null;
            return new BenchResult(w.label(), w.batchSize(), warmup, seconds, PeakMemory.now(),
                    sessions.device().toString(), sessions.threads(), profile);
        }
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
