package org.automixonnx.train;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Everything a training run is configured by: what a run.yaml may contain (unknown keys are refused)
 * and what the {@code train} flags override. Defaults train AutoMix on the bundled Fashion-MNIST subset
 * with a quarter-width CIFAR-stem ResNet-18 in a few minutes on 2 cores. The resolved configuration is
 * saved in the run folder, so a run can always be reproduced from its own folder.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public final class TrainConfig {
    public String dataset = "fashion-mnist";
    /** Data folder; null = the bundled subset (testdata/fashion-mnist) for Fashion-MNIST. */
    public String data;
    public String model = "resnet18-cifar-w0.25";
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
    public String method = "automix";
    public int epochs = 4;
    public int batchSize = 100;
    public double lr = 0.1;
    /** Final learning rate of the cosine schedule; null = the method's default (AutoMix 0.05, others 0). */
    public Double minLr;
    public int warmupEpochs = 0;
    public double momentum = 0.9;
    public boolean nesterov = false;
    public double weightDecay = 1e-4;
    /** Beta(alpha, alpha) parameter of the mixing ratio; null = the method's default. */
    public Double alpha;
    public long seed = 0;
    public String device = "cpu";
    public int threads = 0;
    public int loaderThreads = 1;
    /** Use only the first N training images (0 = all); for quick runs. */
    public int trainLimit = 0;
    public int testLimit = 0;
    public Augment augment = new Augment();
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

    /**
     * AutoMix settings (docs/automix.md). The EMA defaults are for short runs like the bundled demo (a few hundred
     * iterations): the paper's 0.999 -> 0.999999 is tuned for ~100k iterations and would leave the teacher
     * near its initialisation here. configs/*.yaml hold the paper recipes.
     */
    public static final class AutoMixOptions {
        /** Feature tap of the teacher fed to the MixBlock: l1..l4. */
        public String tap = "l3";
        public boolean lamConcat = true;
        /** Mask upsampling: nearest | bilinear. */
        public String upsample = "nearest";
        public double maskLossWeight = 0.1;
        /** constant | linear | cosine. */
        public String maskLossSchedule = "constant";
        /** Paper: 0.999. */
        public double emaStart = 0.99;
        /** Paper: 0.999999 for small images, 0.99999 for ImageNet-size ones. */
        public double emaEnd = 0.999;
        public double emaWarmupFraction = 0.1;
        /** lam_q at or beyond this margin from 0/1 uses plain MixUp for that iteration. */
        public double lamMargin = 0.08;
    }

    /** PuzzleMix settings (mixup/PuzzleMixer); defaults are the reference's CIFAR recipe. */
    public static final class PuzzleMixOptions {
        /** Label smoothness (per label change, normalised by 16 B for a B x B grid). */
        public double beta = 1.2;
        /** Weight of the pixel difference across block boundaries within the smoothness term. */
        public double gamma = 0.5;
        /** Weight of the lambda prior. */
        public double eta = 0.2;
        /** Pooling window (pixels) of the boundary differences. */
        public int neighbourhood = 4;
        /** Block labels: 2 (own or partner) or 3 (also half-and-half, the reference's default). */
        public int labels = 3;
        public boolean transport = true;
        /** Transport cell side in pixels (when it divides the block side; else the blocks are the cells). */
        public int transportCell = 4;
        /** Weight of the transport distance. */
        public double transportEps = 0.8;
    }

    /** A config file larger than this is not a config (a run.yaml is a few hundred bytes). */
    static final long MAX_FILE_BYTES = 1 << 20;

    static ObjectMapper yaml() {
        return new ObjectMapper(YAMLFactory.builder().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                // a key given twice would silently take its last value
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build())
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
    }

    /**
     * Reads a run.yaml; a folder, a file over {@link #MAX_FILE_BYTES}, text that is not UTF-8, malformed YAML,
     * a key given twice and unknown keys fail with the file name and the problem.
     */
    public static TrainConfig read(Path file) throws IOException {
        if (Files.isDirectory(file)) {
            throw new ConfigException("config file " + file + " is a folder; give a YAML file");
        }
        if (!Files.isRegularFile(file)) {
            throw new ConfigException("config file not found: " + file);
        }
        if (Files.size(file) > MAX_FILE_BYTES) {
            throw new ConfigException("config file " + file + " is " + Files.size(file) + " bytes; a config may have"
                    + " at most " + MAX_FILE_BYTES);
        }
        try {
            TrainConfig c = yaml().readValue(utf8Text(file), TrainConfig.class);
            return c == null ? new TrainConfig() : c;
        } catch (UnrecognizedPropertyException e) {
            throw new ConfigException(file + ": unknown key '" + e.getPropertyName() + "'" + location(e)
                    + "; known keys: " + e.getKnownPropertyIds());
        } catch (JsonMappingException e) {
            String key = e.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName()
                    : "[" + r.getIndex() + "]").collect(java.util.stream.Collectors.joining(".")).replace(".[", "[");
            throw new ConfigException(file + ": " + (key.isEmpty() ? "" : "key '" + key + "': ")
                    + e.getOriginalMessage() + location(e));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new ConfigException(file + ": invalid YAML: " + e.getOriginalMessage().strip().replaceAll("\\s*\\n\\s*", "; ")
                    + location(e));
        }
    }

    /** The file's text; one that is not UTF-8 (e.g. saved as Latin-1) is refused, naming the first bad byte. */
    private static String utf8Text(Path file) throws IOException {
        ByteBuffer in = ByteBuffer.wrap(Files.readAllBytes(file));
        CharBuffer text = CharBuffer.allocate(in.remaining());
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder(); // reports malformed input (no replacement)
        CoderResult r = utf8.decode(in, text, true);
        if (r.isError()) {
            throw new ConfigException("config file " + file + " is not UTF-8 text (byte 0x"
                    + Integer.toHexString(in.get(in.position()) & 0xff) + " at offset " + in.position()
                    + "); save it as UTF-8");
        }
        utf8.flush(text);
        return text.flip().toString();
    }

    private static String location(com.fasterxml.jackson.core.JsonProcessingException e) {
        return e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")";
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

    /** What the run trains, for messages: the zoo name or the model file. */
    public String modelName() {
        return modelFile != null ? "model file " + modelFile : model;
    }

    /** The MixBlock's feature tap: {@code automix.tap} of a zoo model, the named tensor of a model file. */
    public String autoMixTap() {
        return modelFile != null ? featureTap : automix.tap;
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
        ValueRange.within(problems, "image-size", imageSize, 1, MAX_IMAGE_SIZE);
        if (augment.cropPadding != null) {
            ValueRange.atLeast(problems, "augment.cropPadding", augment.cropPadding, 0);
        }
        ValueRange.atLeast(problems, "augment.randomResizedCrop", augment.randomResizedCrop, 0);
        return problems;
    }

    /** The numbers of the {@code automix:} section outside their ranges. */
    private List<String> autoMixProblems() {
        List<String> problems = new ArrayList<>();
        ValueRange.within(problems, "automix.emaStart", automix.emaStart, 0, 1);
        ValueRange.within(problems, "automix.emaEnd", automix.emaEnd, 0, 1);
        ValueRange.within(problems, "automix.emaWarmupFraction", automix.emaWarmupFraction, 0, 1);
        ValueRange.atLeast(problems, "automix.maskLossWeight", automix.maskLossWeight, 0);
        // at 0.5 every iteration is plain MixUp; beyond, the margins would overlap
        ValueRange.within(problems, "automix.lamMargin", automix.lamMargin, 0, 0.5);
        return problems;
    }

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
        if (threads < 0 || loaderThreads < 1) {
            problems.add("threads must be >= 0 (0 = all cores) and loaderThreads >= 1 (got " + threads + ", "
                    + loaderThreads + ")");
        }
        if (trainLimit < 0 || testLimit < 0) {
            problems.add("train-limit and test-limit must be >= 0 (0 = all images; got " + trainLimit + ", " + testLimit
                    + ")");
        }
        if (alpha != null) {
            ValueRange.above(problems, "alpha", alpha, 0);
        }
        if (featureTap != null && modelFile == null) {
            problems.add("feature-tap needs model-file (zoo models tap l1, l2, l3, l4; set automix.tap)");
        }
        if (modelFile == null && !List.of("l1", "l2", "l3", "l4").contains(automix.tap)) {
            problems.add("automix.tap must be one of l1, l2, l3, l4 (got '" + automix.tap + "')");
        }
        if (!List.of("nearest", "bilinear").contains(automix.upsample)) {
            problems.add("automix.upsample must be nearest or bilinear (got '" + automix.upsample + "')");
        }
        if (!List.of("constant", "linear", "cosine").contains(automix.maskLossSchedule)) {
            problems.add("automix.maskLossSchedule must be constant, linear or cosine (got '"
                    + automix.maskLossSchedule + "')");
        }
        if (puzzlemix.beta < 0 || puzzlemix.gamma < 0 || puzzlemix.eta < 0 || puzzlemix.transportEps < 0) {
            problems.add("puzzlemix.beta, gamma, eta and transportEps must be >= 0");
        }
        if (puzzlemix.neighbourhood < 1 || puzzlemix.transportCell < 1) {
            problems.add("puzzlemix.neighbourhood and transportCell must be >= 1");
        }
        if (puzzlemix.labels != 2 && puzzlemix.labels != 3) {
            problems.add("puzzlemix.labels must be 2 or 3 (got " + puzzlemix.labels + ")");
        }
        problems.addAll(autoMixProblems());
        problems.addAll(checkpointProblems());
        if (!problems.isEmpty()) {
            throw new ConfigException(String.join("; ", problems));
        }
        return this;
    }
}
