package org.automixonnx.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.automixonnx.data.DatasetException;
import org.automixonnx.data.ImageDataset;
import org.junit.jupiter.api.Test;

/** {@code holdout}: the last training images become the evaluation set and leave the training set. */
class HoldoutTest {
    private static byte[] image(ImageDataset d, int i) {
        byte[] b = new byte[d.imageBytes()];
        d.copyImage(i, b, 0);
        return b;
    }

    @Test
    void theLastTrainingImagesReplaceTheTestSet() throws Exception {
        TrainConfig plain = new TrainConfig().with(Map.of("trainLimit", 1000));
        DataSets.Loaded all = DataSets.load(plain);
        DataSets.Loaded held = DataSets.load(plain.with(Map.of("holdout", 200)).validate());
        assertEquals(800, held.train().size());
        assertEquals(200, held.test().size());
        assertEquals(DataSets.HELD_OUT_SET, held.evalSet());
        assertEquals(DataSets.TEST_SET, all.evalSet());
        for (int i = 0; i < 200; i++) {
            assertArrayEquals(image(all.train(), 800 + i), image(held.test(), i), "held-out image " + i);
            assertEquals(all.train().label(800 + i), held.test().label(i));
        }
        for (int i = 0; i < 800; i += 97) {
            assertArrayEquals(image(all.train(), i), image(held.train(), i), "training image " + i);
        }
        // limits on the evaluation set apply to the held-out images
        assertEquals(50, DataSets.load(plain.with(Map.of("holdout", 200, "testLimit", 50))).test().size());
    }

    @Test
    void holdoutMustLeaveTrainingImagesAndNotBeNegative() {
        TrainConfig c = new TrainConfig().with(Map.of("trainLimit", 100, "holdout", 100));
        DatasetException e = assertThrows(DatasetException.class, () -> DataSets.load(c));
        assertTrue(e.getMessage().contains("holdout 100 must be smaller than the 100 training images"), e.getMessage());
        ConfigException n = assertThrows(ConfigException.class,
                () -> new TrainConfig().with(Map.of("holdout", -1)).validate());
        assertTrue(n.getMessage().contains("holdout must be >= 0"), n.getMessage());
    }
}
