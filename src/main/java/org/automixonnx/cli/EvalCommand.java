package org.automixonnx.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.automixonnx.train.RunInspection;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code automix-onnx eval}: test accuracy of a run's checkpoint, for every classifier its method reports. */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Evaluate a training run's checkpoint on the test set (AutoMix: one/mix head x q/k encoder).")
final class EvalCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--run", required = true, paramLabel = "RUN", description = "Run folder written by train.")
    Path run;

    @Option(names = "--checkpoint", paramLabel = "NAME", defaultValue = "last",
            description = "last or best (default: ${DEFAULT-VALUE}).")
    String checkpoint;

    @Option(names = "--data", paramLabel = "DIR", description = "Data folder (default: the run's).")
    String data;

    @Option(names = "--test-limit", paramLabel = "N", description = "Evaluate only the first N test images.")
    Integer testLimit;

    @Override
    public Integer call() throws Exception {
        Map<String, Double> acc = new RunInspection(run).evaluate(checkpoint, data, testLimit);
        var out = spec.commandLine().getOut();
        out.println("run " + run + ", checkpoint " + checkpoint);
        acc.forEach((k, v) -> out.println(String.format(Locale.ROOT, "  %-12s %6.2f%%", k, 100 * v)));
        return 0;
    }
}
