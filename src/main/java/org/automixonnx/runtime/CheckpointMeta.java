package org.automixonnx.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The metadata of a training checkpoint ({@link StateFile#meta}): which network the state belongs to, the data it was
 * trained on, and where training stands. The trainer writes it ({@link #toJson}); {@code export} and
 * {@code --resume} read it ({@link #fromJson}). The key names are the file format: they are those of every
 * checkpoint written so far, so old checkpoints keep loading.
 */
public record CheckpointMeta(Architecture architecture, Data data, Training training) {
    /** The checkpoint a run folder holds once an epoch (or a mid-epoch checkpoint) is done: the latest state. */
    public static final String LAST_FILE = "last.state";
    /** The checkpoint of the best primary accuracy so far. */
    public static final String BEST_FILE = "best.state";

    static final String ARCHITECTURE = "architecture";
    static final String MODEL_FILE = "model_file";
    static final String FEATURE_TAP = "feature_tap";
    static final String TWO_HEADS = "two_heads";
    static final String DATASET = "dataset";
    static final String CHANNELS = "channels";
    static final String IMAGE_HEIGHT = "image_height";
    static final String IMAGE_WIDTH = "image_width";
    /** Written besides height and width when the images are square (the only image key of early checkpoints). */
    static final String IMAGE_SIZE = "image_size";
    static final String CLASSES = "classes";
    static final String TRAIN_IMAGES = "train_images";
    static final String CLASS_NAMES = "class_names";
    static final String MEAN = "mean";
    static final String STD = "std";
    static final String METHOD = "method";
    static final String EPOCHS_DONE = "epochs_done";
    static final String CONFIG_SHA256 = "config_sha256";
    /** Prefix of the best accuracy so far, one key per metric: {@code best_top1}, {@code best_top1_one_k}. */
    static final String BEST_PREFIX = "best_";
    static final String ACCURACY = "accuracy";
    static final String TRAINER = "trainer";

    /**
     * The network the state belongs to.
     *
     * @param zooName    zoo model name (key {@code architecture}), or null for a model file
     * @param modelFile  the user's ONNX classifier, relative to the checkpoint's folder or absolute, or null
     * @param featureTap with a model file: its feature tap, or null
     * @param twoHeads   whether it was built with AutoMix's two heads; null in checkpoints older than the key
     */
    public record Architecture(String zooName, String modelFile, String featureTap, Boolean twoHeads) {
    }

    /**
     * The data it was trained on.
     *
     * @param dataset    the data set's name, or null when not recorded
     * @param mean       per-channel normalisation mean (empty when not recorded)
     * @param std        per-channel normalisation std (empty when not recorded)
     * @param classNames one per class (empty when not recorded)
     * @param trainImages how many training images the run trained on (after its train limit), or null in
     *                    checkpoints older than the key
     */
    public record Data(String dataset, int channels, int height, int width, int classes, List<String> classNames,
            List<Double> mean, List<Double> std, Integer trainImages) {
        public Data {
            classNames = List.copyOf(classNames);
            mean = List.copyOf(mean);
            std = List.copyOf(std);
        }

        /** C, H, W. */
        public long[] imageShape() {
            return new long[] {channels, height, width};
        }

        /**
         * Float normalisation values as their shortest decimals (0.286f as 0.286, not 0.28600001335144043): what the
         * checkpoints have always stored, and what {@code export} writes into a model's metadata.
         */
        public static List<Double> decimals(float[] values) {
            List<Double> out = new ArrayList<>();
            for (float v : values) {
                out.add(Double.parseDouble(Float.toString(v)));
            }
            return out;
        }
    }

    /**
     * Where training stands.
     *
     * @param method       training method, or null when not recorded
     * @param epochsDone   completed epochs
     * @param configSha256 hash of the run's config (a resume checks it), or null
     * @param best         best primary accuracy so far, by metric name
     * @param accuracy     the test accuracies at this checkpoint, by classifier
     * @param trainer      the trainer's exact position (its own format), or null in checkpoints older than the key
     */
    public record Training(String method, int epochsDone, String configSha256, Map<String, Double> best,
            Map<String, Double> accuracy, JsonNode trainer) {
        public Training {
            best = Collections.unmodifiableMap(new LinkedHashMap<>(best));
            accuracy = Collections.unmodifiableMap(new LinkedHashMap<>(accuracy));
        }
    }

    /** The metadata object to pass to {@link StateFile#write}, keys in the order checkpoints have always had. */
    public ObjectNode toJson() {
        ObjectNode meta = StateFile.newMeta();
        if (architecture.modelFile() != null) {
            meta.put(MODEL_FILE, architecture.modelFile());
            if (architecture.featureTap() != null) {
                meta.put(FEATURE_TAP, architecture.featureTap());
            }
        } else {
            meta.put(ARCHITECTURE, architecture.zooName());
        }
        meta.put(CHANNELS, data.channels());
        meta.put(IMAGE_HEIGHT, data.height());
        meta.put(IMAGE_WIDTH, data.width());
        if (data.height() == data.width()) {
            meta.put(IMAGE_SIZE, data.height());
        }
        meta.put(CLASSES, data.classes());
        if (data.trainImages() != null) {
            meta.put(TRAIN_IMAGES, data.trainImages());
        }
        data.classNames().forEach(meta.putArray(CLASS_NAMES)::add);
        data.mean().forEach(meta.putArray(MEAN)::add);
        data.std().forEach(meta.putArray(STD)::add);
        putIfPresent(meta, METHOD, training.method());
        if (architecture.twoHeads() != null) {
            meta.put(TWO_HEADS, architecture.twoHeads());
        }
        putIfPresent(meta, DATASET, data.dataset());
        meta.put(EPOCHS_DONE, training.epochsDone());
        putIfPresent(meta, CONFIG_SHA256, training.configSha256());
        training.best().forEach((metric, value) -> meta.put(BEST_PREFIX + metric, value));
        ObjectNode accuracy = meta.putObject(ACCURACY);
        training.accuracy().forEach(accuracy::put);
        if (training.trainer() != null) {
            meta.set(TRAINER, training.trainer());
        }
        return meta;
    }

    private static void putIfPresent(ObjectNode meta, String key, String value) {
        if (value != null) {
            meta.put(key, value);
        }
    }

    /**
     * Reads a checkpoint's metadata; {@code file} names the checkpoint in the message when the model, the image
     * shape or the class count is missing. Every other key is optional (see the records).
     */
    public static CheckpointMeta fromJson(JsonNode meta, Path file) {
        if (!meta.hasNonNull(ARCHITECTURE) && !meta.hasNonNull(MODEL_FILE)) {
            throw new IllegalArgumentException("checkpoint " + file + " names no model: its metadata has neither '"
                    + ARCHITECTURE + "' nor '" + MODEL_FILE + "'");
        }
        Architecture architecture = new Architecture(text(meta, ARCHITECTURE), text(meta, MODEL_FILE),
                text(meta, FEATURE_TAP), meta.has(TWO_HEADS) ? meta.get(TWO_HEADS).asBoolean() : null);

        if (!meta.has(IMAGE_SIZE) && !meta.has(IMAGE_HEIGHT)) {
            throw new IllegalArgumentException("checkpoint " + file + " has no '" + IMAGE_SIZE + "' (or '" + IMAGE_HEIGHT
                    + "' and '" + IMAGE_WIDTH + "') in its metadata");
        }
        int height = meta.has(IMAGE_SIZE) ? requiredInt(meta, IMAGE_SIZE, file) : requiredInt(meta, IMAGE_HEIGHT, file);
        int width = meta.has(IMAGE_SIZE) ? height : requiredInt(meta, IMAGE_WIDTH, file);
        List<String> classNames = new ArrayList<>();
        meta.path(CLASS_NAMES).forEach(n -> classNames.add(n.asText()));
        Data data = new Data(text(meta, DATASET), requiredInt(meta, CHANNELS, file), height, width,
                requiredInt(meta, CLASSES, file), classNames, numbers(meta.path(MEAN)), numbers(meta.path(STD)),
                meta.hasNonNull(TRAIN_IMAGES) ? meta.get(TRAIN_IMAGES).asInt() : null);

        Map<String, Double> best = new LinkedHashMap<>();
        meta.fields().forEachRemaining(e -> {
            if (e.getKey().startsWith(BEST_PREFIX)) {
                best.put(e.getKey().substring(BEST_PREFIX.length()), e.getValue().asDouble());
            }
        });
        Map<String, Double> accuracy = new LinkedHashMap<>();
        meta.path(ACCURACY).fields().forEachRemaining(e -> accuracy.put(e.getKey(), e.getValue().asDouble()));
        Training training = new Training(text(meta, METHOD), meta.path(EPOCHS_DONE).asInt(), text(meta, CONFIG_SHA256),
                best, accuracy, meta.hasNonNull(TRAINER) ? meta.get(TRAINER) : null);
        return new CheckpointMeta(architecture, data, training);
    }

    private static String text(JsonNode meta, String key) {
        return meta.hasNonNull(key) ? meta.get(key).asText() : null;
    }

    private static int requiredInt(JsonNode meta, String key, Path file) {
        JsonNode n = meta.get(key);
        if (n == null || !n.canConvertToInt()) {
            throw new IllegalArgumentException("checkpoint " + file + " has no integer '" + key + "' in its metadata");
        }
        return n.asInt();
    }

    private static List<Double> numbers(JsonNode array) {
        List<Double> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asDouble()));
        return out;
    }
}
