package org.automixonnx.train;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.automixonnx.runtime.CheckpointMeta;

/**
 * Whether the data a run is resumed or evaluated on is the data its checkpoint was trained on: the image shape
 * and the class count (in every checkpoint's metadata) and the training-set size (in checkpoints written since it
 * is recorded; older ones are not compared on it). Without this, a data folder that moved,
 * or a relative path read from another working folder, would train or evaluate on other data without a word.
 */
final class DataMatch {
    private DataMatch() {
    }

    /**
     * Throws, in one line naming the data folder, the checkpoint and every difference, unless {@code data} is what
     * the checkpoint with metadata {@code meta} was trained on.
     */
    static void check(CheckpointMeta meta, DataSets.Loaded data, Path checkpoint, Path dataFolder) {
        List<String> differences = new ArrayList<>();
        long[] image = data.inputShape();
        long[] trained = meta.data().imageShape();
        if (!java.util.Arrays.equals(image, trained)) {
            differences.add("images of " + shape(image) + " (the run's: " + shape(trained) + ", channels x height x"
                    + " width)");
        }
        compare(differences, "classes", data.train().numClasses(), meta.data().classes());
        Integer trainImages = meta.data().trainImages();
        compare(differences, "training images", data.train().size(), trainImages == null ? -1 : trainImages);
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
