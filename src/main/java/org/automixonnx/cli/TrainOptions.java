package org.automixonnx.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.automixonnx.train.ForceReplace;
import org.automixonnx.train.TrainConfig;
import picocli.CommandLine.Option;

/**
 * The options that configure a training run, shared by {@code train} and {@code compare} (a picocli mixin):
 * values come from the defaults, then a YAML config ({@code --config}), then the flags given.
 */
final class TrainOptions {
    @Option(names = "--config", paramLabel = "FILE", description = "YAML run config; flags override its values.")
    Path config;

    @Option(names = "--dataset", paramLabel = "NAME", description = "fashion-mnist (default), mnist, cifar10, cifar100, imagefolder.")
    String dataset;

    @Option(names = "--data", paramLabel = "DIR", description = "Data folder (default: the bundled Fashion-MNIST subset).")
    String data;

    @Option(names = "--image-size", paramLabel = "S", description = "Image folders: train and test at SxS, 1 to 8192 (default 64).")
    Integer imageSize;

    @Option(names = "--model", paramLabel = "NAME", description = "Model name, e.g. resnet18-cifar-w0.25 (default).")
    String model;

    @Option(names = "--model-file", paramLabel = "FILE",
            description = "A forward ONNX classifier to train instead of a zoo model (e.g. from torch.onnx.export); "
                    + "the run keeps a copy.")
    String modelFile;

    @Option(names = "--feature-tap", paramLabel = "TENSOR",
            description = "With --model-file: the tensor AutoMix and ManifoldMix use as feature map.")
    String featureTap;

    @Option(names = "--epochs", paramLabel = "E")
    Integer epochs;

    @Option(names = "--batch-size", paramLabel = "N")
    Integer batchSize;

    @Option(names = "--lr", paramLabel = "LR", description = "Initial learning rate (cosine schedule per epoch).")
    Double lr;

    @Option(names = "--min-lr", paramLabel = "LR",
            description = "Final learning rate (default: ${bundle:" + MethodHelp.MIN_LRS + "}).")
    Double minLr;

    @Option(names = "--alpha", paramLabel = "A",
            description = "Beta(alpha, alpha) of the mixing ratio; default per method: ${bundle:" + MethodHelp.ALPHAS
                    + "}.")
    Double alpha;

    @Option(names = "--seed", paramLabel = "S")
    Long seed;

    @Option(names = "--device", paramLabel = "DEV", description = "cpu (default), cuda or cuda:N.")
    String device;

    @Option(names = "--threads", paramLabel = "T", description = "ORT intra-op threads, 0 to 256; 0 = all cores.")
    Integer threads;

    @Option(names = "--train-limit", paramLabel = "N", description = "Use only the first N training images.")
    Integer trainLimit;

    @Option(names = "--test-limit", paramLabel = "N", description = "Use only the first N test images.")
    Integer testLimit;

    @Option(names = "--holdout", paramLabel = "N", description = "Hold out the last N training images and evaluate "
            + "on them instead of the test set (to choose settings without looking at the test set; default 0).")
    Integer holdout;

    @Option(names = "--no-progress", description = "No progress bar (it is also off when output is not a terminal).")
    boolean noProgress;

    /** The config file (or the defaults) with every given flag and then {@code extra} applied on top, validated. */
    TrainConfig resolve(Map<String, Object> extra) throws IOException {
        TrainConfig base = config != null ? TrainConfig.read(config) : new TrainConfig();
        Map<String, Object> o = new LinkedHashMap<>();
        put(o, "dataset", dataset);
        put(o, "data", data);
        if (model != null && modelFile != null) {
            throw new CliFailure("--model and --model-file are mutually exclusive (a zoo model or your own file)");
        }
        put(o, "imageSize", imageSize);
        put(o, "model", model);
        put(o, "modelFile", modelFile);
        put(o, "featureTap", featureTap);
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
        put(o, "holdout", holdout);
        if (noProgress) {
            o.put("progress", false);
        }
        extra.forEach((k, v) -> put(o, k, v));
        return base.with(o).validate();
    }

    /** The files these options name besides the config's data and model file, which --force must never delete. */
    List<ForceReplace.Input> otherInputs() {
        return config == null ? List.of() : List.of(new ForceReplace.Input("--config", config));
    }

    /** Whether any option that defines a run's result was given (everything but epochs, device, threads, progress). */
    boolean definesRun() {
        return config != null || dataset != null || data != null || imageSize != null || model != null || modelFile != null
                || featureTap != null || batchSize != null || lr != null
                || minLr != null || alpha != null || seed != null || trainLimit != null || testLimit != null
                || holdout != null;
    }

    private static void put(Map<String, Object> m, String key, Object v) {
        if (v != null) {
            m.put(key, v);
        }
    }
}
