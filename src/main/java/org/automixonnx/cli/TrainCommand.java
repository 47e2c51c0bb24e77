package org.automixonnx.cli;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.automixonnx.train.TrainConfig;
import org.automixonnx.train.TrainService;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code automix-onnx train}: trains a classifier. Values come from the defaults, then a YAML config
 * ({@code --config}), then the flags given on the command line; the resolved config is saved in the run.
 */
@Command(name = "train", mixinStandardHelpOptions = true, resourceBundle = MethodHelp.NAME,
        description = "Train a classifier with AutoMix or a baseline (default: AutoMix on the bundled Fashion-MNIST subset).")
final class TrainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    TrainOptions options;

    @Option(names = "--method", paramLabel = "NAME", completionCandidates = MethodNames.class,
            description = "${COMPLETION-CANDIDATES} (default: ${bundle:" + MethodHelp.DEFAULT_METHOD + "}).")
    String method;

    @Option(names = "--out", converter = OutPathConverter.class, paramLabel = "DIR", description = "Run folder (default: runs/<method>-<time>).")
    Path out;

    @Option(names = "--force", description = "Replace an existing run folder.")
    boolean force;

    @Option(names = "--resume", description = "Continue the run in --out from its last checkpoint (its saved config; "
            + "--epochs may extend it).")
    boolean resume;

    @Option(names = "--checkpoint-iterations", paramLabel = "N", description = "Also write last.state every N "
            + "iterations inside an epoch, so --resume continues from that exact iteration (default 0: at epoch ends).")
    Integer checkpointIterations;

    @Option(names = "--checkpoint-every", paramLabel = "N", description = "Keep a copy epoch-NNN.state every N epochs "
            + "(default 0: none).")
    Integer checkpointEvery;

    @Option(names = "--on-nan", paramLabel = "POLICY", description = "A NaN/Inf loss: stop (default; the run fails "
            + "naming the step and loss term, the last good checkpoint is kept) or skip (discard that step's update "
            + "and go on).")
    String onNan;

    @Option(names = "--profile", paramLabel = "DIR", description = "Write ORT's profile of every graph the run "
            + "executes to DIR (one JSON file per graph, viewable in chrome://tracing) and print where the time goes.")
    Path profile;

    /** The options that protect or inspect a run without changing its result (also allowed with --resume). */
    private Map<String, Object> operationalOptions() {
        Map<String, Object> m = new LinkedHashMap<>();
        if (checkpointIterations != null) {
            m.put("checkpointIterations", checkpointIterations);
        }
        if (checkpointEvery != null) {
            m.put("checkpointEvery", checkpointEvery);
        }
        if (onNan != null) {
            m.put("nanPolicy", onNan);
        }
        if (profile != null) {
            m.put("profile", profile.toString());
        }
        return m;
    }

    @Override
    public Integer call() throws Exception {
        if (resume) {
            return resumeRun();
        }
        Map<String, Object> extra = new LinkedHashMap<>();
        if (method != null) {
            extra.put("method", method);
        }
        extra.putAll(operationalOptions());
        TrainConfig c = options.resolve(extra);
        Path dir = out != null ? out : Path.of("runs", c.method + "-"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        new TrainService(spec.commandLine().getOut()).train(c, dir, force, options.otherInputs());
        return 0;
    }

    private int resumeRun() throws Exception {
        if (out == null) {
            throw new CliFailure("--resume needs --out RUN (the run folder to continue)");
        }
        if (force || method != null || options.definesRun()) {
            throw new CliFailure("--resume continues a run with its saved config; only --epochs, --device, --threads, "
                    + "--no-progress, --checkpoint-iterations, --checkpoint-every, --on-nan and --profile may be given with it");
        }
        Map<String, Object> overrides = new LinkedHashMap<>(operationalOptions());
        if (options.epochs != null) {
            overrides.put("epochs", options.epochs);
        }
        if (options.noProgress) {
            overrides.put("progress", false);
        }
        new TrainService(spec.commandLine().getOut()).resume(out, overrides);
        return 0;
    }
}
