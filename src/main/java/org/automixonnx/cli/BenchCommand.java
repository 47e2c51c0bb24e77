package org.automixonnx.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.automixonnx.bench.BenchResult;
import org.automixonnx.bench.BenchService;
import org.automixonnx.mixup.ValueRange;
import org.automixonnx.mixup.Vanilla;
import org.automixonnx.runtime.Device;
import org.automixonnx.runtime.ProfileSummary;
import org.automixonnx.runtime.SessionFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code automix-onnx bench}: times a model's train step and reports images/s and peak memory. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Time a model's vanilla train step (forward, backward, SGD update), or a mixup method's whole "
                + "iteration, on random data.")
final class BenchCommand implements Callable<Integer> {
    /** Classes of the benchmark model: CIFAR-10 sized head, as in the PyTorch reference script. */
    static final int CLASSES = 10;

    @Spec
    CommandSpec spec;

    @Mixin
    ModelOptions model;

    @Option(names = "--batch-size", required = true, paramLabel = "N", description = "Images per step.")
    int batchSize;

    @Option(names = "--steps", required = true, paramLabel = "S", description = "Timed steps.")
    int steps;

    @Option(names = "--warmup", paramLabel = "W", defaultValue = "3",
            description = "Untimed steps before timing (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--threads", paramLabel = "T", defaultValue = "0",
            description = "ORT intra-op threads, 0 to 256; 0 = all cores (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--device", paramLabel = "DEV", defaultValue = "cpu", converter = DeviceConverter.class,
            description = "cpu, cuda or cuda:N (default: ${DEFAULT-VALUE}).")
    Device device;

    @Option(names = "--method", paramLabel = "NAME", defaultValue = Vanilla.NAME,
            completionCandidates = MethodNames.class,
            description = "A training method (${COMPLETION-CANDIDATES}): its whole iteration, every graph it runs "
                    + "plus the Java side (sampling, masks, copies, EMA), as in training; ${DEFAULT-VALUE} (the "
                    + "default) is the bare train-step graph.")
    String method;

    @Option(names = "--profile", paramLabel = "DIR",
            description = "Write ORT's profile of the timed steps to DIR and print where the time goes.")
    java.nio.file.Path profile;

    @Override
    public Integer call() {
        List<String> problems = new ArrayList<>();
        ValueRange.within(problems, "--threads", threads, 0, SessionFactory.MAX_THREADS);
        ValueRange.atLeast(problems, "--steps", steps, 1);
        ValueRange.atLeast(problems, "--warmup", warmup, 0);
        if (!problems.isEmpty()) {
            throw new CliFailure(String.join("; ", problems));
        }
        ModelSpec s = model.spec(batchSize, CLASSES);
        SessionFactory sessions = new SessionFactory(device, threads, profile);
        java.time.Instant started = java.time.Instant.now();
        BenchService bench = new BenchService(sessions, spec.commandLine().getErr());
        // vanilla's iteration is the bare train step, timed on its own
        BenchResult r = method.equals(Vanilla.NAME)
                ? bench.run(ModelCatalog.vanillaTrainStep(s, sessions), steps, warmup)
                : bench.run(ModelCatalog.methodIteration(s, method, sessions), steps, warmup,
                        ModelCatalog.SGD_DEFAULTS.get(org.automixonnx.graphs.Sgd.LR));
        spec.commandLine().getOut().print(r.table());
        if (profile != null) {
            try {
                spec.commandLine().getOut().print(ProfileSummary.tables(profile, started, 25));
            } catch (java.io.IOException e) {
                throw new CliFailure("could not read the ORT profiles in " + profile + ": " + e.getMessage());
            }
        }
        return 0;
    }
}
