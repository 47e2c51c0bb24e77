package org.automixonnx.train;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.automixonnx.importer.ModelRef;
import org.automixonnx.mixup.AutoMix;
import org.automixonnx.mixup.AutoMixOptions;
import org.automixonnx.mixup.MethodOptions;
import org.automixonnx.mixup.MethodRegistry;
import org.automixonnx.mixup.PuzzleMixOptions;
import org.automixonnx.mixup.ValueRange;
import org.automixonnx.runtime.SessionFactory;

/**
 * Everything a training run is configured by: what a run.yaml may contain (unknown keys are refused)
 * and what the {@code train} flags override. The defaults are the short-run recipe of the first run a user sees:
 * AutoMix on the bundled Fashion-MNIST subset with an eighth-width CIFAR-stem ResNet-18, 6 epochs of batch 32, in
 * under 3 minutes on 2 cores (README, "The default run"); a short run is limited by its number of steps, hence
 * the small batch and model (configs/ holds the paper recipes). The resolved configuration is saved in the run
 * folder, so a run can always be reproduced from its own folder.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public final class TrainConfig {
    public String dataset = "fashion-mnist";
    /** Data folder; null = the bundled subset (testdata/fashion-mnist) for Fashion-MNIST. */
    public String data;
    public String model = "resnet18-cifar-w0.125";
    /** Training image size for image folders (stored at size * 8/7, random-resized-cropped / centre-cropped). */
    public int imageSize = 64;
    /**
     * The largest {@link #imageSize}: far beyond any training image, and small enough that every size computed from
     * it (an image's bytes at the stored size, 3 x 9362 x 9362) is an int.
     */
    public static final int MAX_IMAGE_SIZE = 8192;
    /**
     * A user's forward ONNX classifier instead of a zoo model (relative paths: to the working folder; in a run
     * folder's saved config, to the run folder, which keeps its own copy).
     */
    public String modelFile;
    /** With {@link #modelFile}: the tensor AutoMix and ManifoldMix use as feature map (zoo models tap l1..l4). */
    public String featureTap;
    /** A name in the method registry ({@link MethodRegistry}). */
    public String method = AutoMix.NAME;
    public int epochs = 6;
    public int batchSize = 32;
    public double lr = 0.1;
    /** Final learning rate of the cosine schedule; null = the method's default ({@code MethodSpec.defaultMinLr}). */
    public Double minLr;
    public int warmupEpochs = 0;
    public double momentum = 0.9;
    public boolean nesterov = false;
    public double weightDecay = 1e-4;
    /** Beta(alpha, alpha) of the mixing ratio; null = the method's default ({@code MethodSpec.defaultAlpha}). */
    public Double alpha;
    public long seed = 0;
    public String device = "cpu";
    public int threads = 0;
    public int loaderThreads = 1;
    /** Use only the first N training images (0 = all); for quick runs. */
    public int trainLimit = 0;
    public int testLimit = 0;
    /**
     * Hold out the last N training images (after {@link #trainLimit}) as the evaluation set in place of the test
     * set, so settings can be chosen without looking at the test set (0 = off: train on all, evaluate on the test set).
     */
    public int holdout = 0;
    public Augment augment = new Augment();
    // the methods' own sections, one public field each named as its YAML key (the class's SECTION; a @JsonProperty
    // would move the key to the end of config.yaml and change the config hash of existing runs). A method's registry
    // entry names the type of its section (MethodSpec.optionsType); the section checks itself; methodOptions and
    // withOwnOptionsOnly find the sections as the fields of a MethodOptions type.
    public AutoMixOptions automix = new AutoMixOptions();
    public PuzzleMixOptions puzzlemix = new PuzzleMixOptions();
    public boolean progress = true;
    // How the run protects itself; operational, so not part of the config hash (a resumed run may change them),
    // and absent from config.yaml unless set. null = the default given.
    /** Also write last.state every N iterations inside an epoch (null or 0 = only at epoch ends). */
    public Integer checkpointIterations;
    /** Keep a copy epoch-NNN.state of the checkpoint every N epochs (null or 0 = none). */
    public Integer checkpointEvery;
    /** A NaN/Inf loss: stop (null = stop: fail the run, keep the last good checkpoint) or skip (discard the step). */
    public String nanPolicy;
    /** Folder for ORT's profile of every session of the run, one JSON file per graph (null = no profiling). */
    public String profile;

    /** Data augmentation of training images. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static final class Augment {
        /** Random crop with zero padding of this many pixels (0 = off); null = dataset default. */
        public Integer cropPadding;
        public Boolean flip;
        /** Random-resized-crop to this size instead of the padded crop (0 = off). */
        public int randomResizedCrop = 0;
    }

    static ObjectMapper yaml() {
        return new ObjectMapper(YAMLFactory.builder().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                // a key given twice would silently take its last value
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build())
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
    }

    /** Reads a run.yaml; every problem fails with the file name and, where it has one, the key ({@link ConfigFile}). */
    public static TrainConfig read(Path file) throws IOException {
        return ConfigFile.read(file);
    }

    /** Applies overrides given as a YAML/JSON-shaped map (from command-line flags) on top of this config. */
    public TrainConfig with(Map<String, Object> overrides) {
        try {
            ObjectMapper m = yaml();
            return m.readerForUpdating(copy()).readValue(m.writeValueAsString(overrides));
        } catch (IOException e) {
            throw new ConfigException("invalid option value: " + e.getMessage());
        }
    }

    public TrainConfig copy() {
        try {
            ObjectMapper m = yaml();
            return m.readValue(m.writeValueAsString(this), TrainConfig.class);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public String toYaml() {
        try {
            return yaml().writeValueAsString(this);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What the run trains, for messages: the zoo name or the model file (as given), worded as {@link ModelRef} does. */
    public String modelName() {
        return ModelRef.of(model, modelFile, featureTap, Path.of("")).toString();
    }

    /** The section of type {@code type}; fails when this class has no field for it. */
    public <T extends MethodOptions> T methodOptions(Class<T> type) {
        for (Field f : optionSections()) {
            if (f.getType() == type) {
                try {
                    return type.cast(f.get(this));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        throw new IllegalStateException("TrainConfig has no section for " + type.getSimpleName()
                + ": add a field of that type, named as its YAML key");
    }

    /**
     * A copy whose option sections of other methods than {@link #method} are at their defaults: the settings the
     * run's result depends on. A comparison saves and matches its runs so, so that a baseline run is not "trained
     * with another configuration" when only AutoMix's options changed.
     */
    public TrainConfig withOwnOptionsOnly() {
        Class<? extends MethodOptions> own = RunMethod.spec(method).optionsType();
        TrainConfig c = copy();
        try {
            for (Field f : optionSections()) {
                if (f.getType() != own) {
                    f.set(c, f.getType().getDeclaredConstructor().newInstance());
                }
            }
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("an options section needs a public no-argument constructor", e);
        }
        return c;
    }

    /** The methods' sections: the public fields of a {@link MethodOptions} type. */
    private static List<Field> optionSections() {
        return Arrays.stream(TrainConfig.class.getFields())
                .filter(f -> MethodOptions.class.isAssignableFrom(f.getType())).toList();
    }

    /** Mid-epoch checkpoint interval (0 = off). */
    public int checkpointIterationsOrOff() {
        return checkpointIterations == null ? 0 : checkpointIterations;
    }

    /** Epochs between kept epoch-NNN.state copies (0 = off). */
    public int checkpointEveryOrOff() {
        return checkpointEvery == null ? 0 : checkpointEvery;
    }

    /** Whether a step with a non-finite loss is discarded (skip) rather than stopping the run (stop). */
    public boolean skipNonFiniteSteps() {
        return "skip".equals(nanPolicy);
    }

    /** The optimizer's and the data's numbers outside their ranges (NaN and infinities included). */
    private List<String> numericProblems() {
        List<String> problems = new ArrayList<>();
        ValueRange.atLeast(problems, "weightDecay", weightDecay, 0);
        ValueRange.within(problems, "momentum", momentum, 0, 1);
        ValueRange.atLeast(problems, "warmupEpochs", warmupEpochs, 0);
        if (warmupEpochs > 0 && warmupEpochs >= epochs) {
            problems.add("warmupEpochs must be fewer than the epochs (got " + warmupEpochs + " of " + epochs + ")");
        }
        ValueRange.within(problems, "image-size", imageSize, 1, MAX_IMAGE_SIZE);
        if (augment.cropPadding != null) {
            ValueRange.atLeast(problems, "augment.cropPadding", augment.cropPadding, 0);
        }
        ValueRange.atLeast(problems, "augment.randomResizedCrop", augment.randomResizedCrop, 0);
        return problems;
    }

    /** The numbers of the {@code automix:} section outside their ranges. */
    private List<String> checkpointProblems() {
        List<String> problems = new ArrayList<>();
        if (checkpointIterations != null && checkpointIterations < 0) {
            problems.add("checkpoint-iterations must be >= 0 (got " + checkpointIterations + ")");
        }
        if (checkpointEvery != null && checkpointEvery < 0) {
            problems.add("checkpoint-every must be >= 0 (got " + checkpointEvery + ")");
        }
        if (nanPolicy != null && !List.of("stop", "skip").contains(nanPolicy)) {
            problems.add("on-nan must be stop or skip (got '" + nanPolicy + "')");
        }
        return problems;
    }

    /** The method's name, then every method section registered, each checked by itself. */
    private List<String> methodProblems() {
        List<String> problems = new ArrayList<>();
        MethodRegistry methods = MethodRegistry.standard();
        try {
            methods.get(method);
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }
        for (Class<? extends MethodOptions> type : methods.optionsTypes()) {
            problems.addAll(methodOptions(type).problems(modelFile == null));
        }
        return problems;
    }

    /** Checks ranges and names; throws one ConfigException listing every problem. */
    public TrainConfig validate() {
        List<String> problems = new ArrayList<>();
        if (epochs < 1) {
            problems.add("epochs must be >= 1 (got " + epochs + ")");
        }
        if (batchSize < 2) {
            problems.add("batch-size must be >= 2 (got " + batchSize + ")");
        }
        ValueRange.above(problems, "lr", lr, 0);
        if (minLr != null && Double.isFinite(lr) && lr > 0) {
            ValueRange.within(problems, "min-lr", minLr, 0, lr); // the cosine schedule's final rate
        } else if (minLr != null) {
            ValueRange.atLeast(problems, "min-lr", minLr, 0);
        }
        problems.addAll(numericProblems());
        ValueRange.within(problems, "threads", threads, 0, SessionFactory.MAX_THREADS); // 0 = all cores
        ValueRange.within(problems, "loaderThreads", loaderThreads, 1, SessionFactory.MAX_THREADS);
        if (trainLimit < 0 || testLimit < 0) {
            problems.add("train-limit and test-limit must be >= 0 (0 = all images; got " + trainLimit + ", " + testLimit
                    + ")");
        }
        if (holdout < 0) {
            problems.add("holdout must be >= 0 (0 = off; got " + holdout + ")");
        }
        if (alpha != null) {
            ValueRange.above(problems, "alpha", alpha, 0);
        }
        if (featureTap != null && modelFile == null) {
            problems.add("feature-tap needs model-file (zoo models tap l1, l2, l3, l4; set automix.tap)");
        }
        problems.addAll(methodProblems());
        problems.addAll(checkpointProblems());
        if (!problems.isEmpty()) {
            throw new ConfigException(String.join("; ", problems));
        }
        return this;
    }
}
