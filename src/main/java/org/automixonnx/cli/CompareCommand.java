package org.automixonnx.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.automixonnx.train.CompareService;
import org.automixonnx.train.RunMethod;
import org.automixonnx.train.TrainConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code automix-onnx compare}: trains each method x seed with the same budget and configuration, then writes
 * {@code DIR/compare.md} (mean +- std of top-1, ECE and FGSM error per method) and {@code DIR/compare.csv}.
 */
@Command(name = "compare", mixinStandardHelpOptions = true, resourceBundle = MethodHelp.NAME,
        description = {"Train several methods with the same configuration and seeds, and tabulate test top-1, ECE "
                + "and FGSM error (mean ± std over seeds) in DIR/compare.md, per run in DIR/compare.csv.",
                "Runs are written to DIR/<method>-seed<S>/; the train options apply to every run."})
final class CompareCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--methods", required = true, split = ",", paramLabel = "NAMES",
            completionCandidates = MethodNames.class,
            description = "Comma-separated method names (known: ${COMPLETION-CANDIDATES}).")
    List<String> methods;

    @Option(names = "--seeds", paramLabel = "N", defaultValue = "3",
            description = "Runs per method, seeds S, S+1, ... (S = --seed, default 0; default: ${DEFAULT-VALUE}).")
    int seeds;

    @Mixin
    TrainOptions options;

    @Option(names = "--out", converter = OutPathConverter.class, required = true, paramLabel = "DIR", description = "Folder for the runs and the table.")
    Path out;

    @Option(names = "--force", description = "Replace existing run folders in DIR.")
    boolean force;

    @Option(names = "--resume", description = "Continue an interrupted comparison in DIR, started with the same "
            + "methods, seeds and options: keep its finished runs, resume the interrupted one from its last "
            + "checkpoint, train the rest.")
    boolean resume;

    @Override
    public Integer call() throws Exception {
        List<String> names = methods.stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
        // every name is checked before the config is even read: a typo never costs a training run
        names.forEach(RunMethod::spec);
        if (resume && force) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--resume and --force exclude each other: --resume keeps the finished runs");
        }
        TrainConfig base = options.resolve(Map.of());
        CompareService compare = new CompareService(spec.commandLine().getOut());
        if (resume) {
            compare.resume(base, names, seeds, out, options.otherInputs());
        } else {
            compare.compare(base, names, seeds, out, force, options.otherInputs());
        }
        return 0;
    }
}
