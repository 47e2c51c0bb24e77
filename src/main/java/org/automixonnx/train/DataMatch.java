package org.automixonnx.train;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether the data a run is resumed or evaluated on is the data its checkpoint was trained on: the image shape
 * and the class count (in every checkpoint's metadata) and the training-set size ({@link #TRAIN_IMAGES}, in
 * checkpoints written since it exists; older ones are not compared on it). Without this, a data folder that moved,
 * or a relative path read from another working folder, would train or evaluate on other data without a word.
 */
final class DataMatch {
    // the metadata keys Checkpoints writes the data's description under
    static final String CHANNELS = "channels";
    static final String IMAGE_HEIGHT = "image_height";
    static final String IMAGE_WIDTH = "image_width";
    static final String CLASSES = "classes";
    /** The number of training images the run trained on (after {@code trainLimit}). */
    static final String TRAIN_IMAGES = "train_images";

    private DataMatch() {
    }

    /**
     * Throws, in one line naming the data folder, the checkpoint and every difference, unless {@code data} is what
     * the checkpoint with metadata {@code meta} was trained on.
     */
    static void check(JsonNode meta, DataSets.Loaded data, Path checkpoint, Path dataFolder) {
        List<String> differences = new ArrayList<>();
        long[] image = data.inputShape();
        long[] trained = {meta.path(CHANNELS).asLong(-1), meta.path(IMAGE_HEIGHT).asLong(-1),
                meta.path(IMAGE_WIDTH).asLong(-1)};
        if (trained[0] > 0 && !java.util.Arrays.equals(image, trained)) {
            differences.add("images of " + shape(image) + " (the run's: " + shape(trained) + ", channels x height x"
                    + " width)");
        }
        compare(differences, "classes", data.train().numClasses(), meta.path(CLASSES).asLong(-1));
        compare(differences, "training images", data.train().size(), meta.path(TRAIN_IMAGES).asLong(-1));
        if (!differences.isEmpty()) {
            throw new ConfigException("the data " + (dataFolder == null ? "" : "in " + dataFolder + " ")
                    + "is not what " + checkpoint + " was trained on: " + String.join(", ", differences)
                    + "; give the run's data set");
        }
    }

    /** Notes "N what (the run's: M)" when the checkpoint recorded M (>= 0) and it differs. */
    private static void compare(List<String> differences, String what, long now, long recorded) {
        if (recorded >= 0 && now != recorded) {
            differences.add(now + " " + what + " (the run's: " + recorded + ")");
        }
    }

    private static String shape(long[] chw) {
        return chw[0] + "x" + chw[1] + "x" + chw[2];
    }
}
