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
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code automix-onnx train}: trains a classifier. Values come from the defaults, then a YAML config
 * ({@code --config}), then the flags given on the command line; the resolved config is saved in the run.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train a classifier with AutoMix or a baseline (default: AutoMix on the bundled Fashion-MNIST subset).")
final class TrainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", description = "YAML run config; flags override its values.")
    Path config;

    @Option(names = "--dataset", paramLabel = "NAME", description = "fashion-mnist (default), mnist, cifar10, cifar100.")
    String dataset;

    @Option(names = "--data", paramLabel = "DIR", description = "Data folder (default: the bundled Fashion-MNIST subset).")
    String data;

    @Option(names = "--model", paramLabel = "NAME", description = "Model name, e.g. resnet18-cifar-w0.25 (default).")
    String model;

    @Option(names = "--method", paramLabel = "NAME", description = "automix (default), vanilla, mixup, cutmix, manifoldmix, fmix, resizemix, saliencymix, "
            + "gridmix.")
    String method;

    @Option(names = "--epochs", paramLabel = "E")
    Integer epochs;

    @Option(names = "--batch-size", paramLabel = "N")
    Integer batchSize;

    @Option(names = "--lr", paramLabel = "LR", description = "Initial learning rate (cosine schedule per epoch).")
    Double lr;

    @Option(names = "--min-lr", paramLabel = "LR", description = "Final learning rate (default: 0.05 AutoMix, 0 others).")
    Double minLr;

    @Option(names = "--alpha", paramLabel = "A", description = "Beta(alpha, alpha) of the mixing ratio; default per method: automix 2, mixup 1, "
            + "cutmix 0.2, manifoldmix 2, fmix 0.2, resizemix 1, saliencymix 0.2, gridmix 0.2.")
    Double alpha;

    @Option(names = "--seed", paramLabel = "S")
    Long seed;

    @Option(names = "--device", paramLabel = "DEV", description = "cpu (default), cuda or cuda:N.")
    String device;

    @Option(names = "--threads", paramLabel = "T", description = "ORT intra-op threads; 0 = all cores.")
    Integer threads;

    @Option(names = "--train-limit", paramLabel = "N", description = "Use only the first N training images.")
    Integer trainLimit;

    @Option(names = "--test-limit", paramLabel = "N", description = "Use only the first N test images.")
    Integer testLimit;

    @Option(names = "--no-progress", description = "No progress bar (it is also off when output is not a terminal).")
    boolean noProgress;

    @Option(names = "--out", paramLabel = "DIR", description = "Run folder (default: runs/<method>-<time>).")
    Path out;

    @Option(names = "--force", description = "Replace an existing run folder.")
    boolean force;

    @Option(names = "--resume", description = "Continue the run in --out from its last checkpoint (its saved config; "
            + "--epochs may extend it).")
    boolean resume;

    @Override
    public Integer call() throws Exception {
        if (resume) {
            return resumeRun();
        }
        TrainConfig base = config != null ? TrainConfig.read(config) : new TrainConfig();
        Map<String, Object> o = new LinkedHashMap<>();
        put(o, "dataset", dataset);
        put(o, "data", data);
        put(o, "model", model);
        put(o, "method", method);
        put(o, "epochs", epochs);
        put(o, "batchSize", batchSize);
        put(o, "lr", lr);
        put(o, "minLr", minLr);
        put(o, "alpha", alpha);
        put(o, "seed", seed);
        put(o, "device", device);
        put(o, "threads", threads);
        put(o, "trainLimit", trainLimit);
        put(o, "testLimit", testLimit);
        if (noProgress) {
            o.put("progress", false);
        }
        TrainConfig c = base.with(o).validate();
        Path dir = out != null ? out : Path.of("runs", c.method + "-"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        new TrainService(spec.commandLine().getOut()).train(c, dir, force);
        return 0;
    }

    private int resumeRun() throws Exception {
        if (out == null) {
            throw new CliFailure("--resume needs --out RUN (the run folder to continue)");
        }
        if (force || config != null || dataset != null || data != null || model != null || method != null
                || batchSize != null || lr != null || minLr != null || alpha != null || seed != null || trainLimit != null
                || testLimit != null) {
            throw new CliFailure("--resume continues a run with its saved config; only --epochs, --device, --threads "
                    + "and --no-progress may be given with it");
        }
        new TrainService(spec.commandLine().getOut()).resume(out, epochs);
        return 0;
    }

    private static void put(Map<String, Object> m, String key, Object v) {
        if (v != null) {
            m.put(key, v);
        }
    }
}
