package org.automixonnx.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Resuming mid-epoch: the batches from the k-th on are those a whole epoch yields from its k-th on. */
class BatchLoaderResumeTest {
    @Test
    void anEpochStartedAtBatchKYieldsTheSameBatchesAsTheWholeEpochFromK() {
        byte[] px = new byte[37 * 16];
        new Random(3).nextBytes(px);
        int[] labels = new int[37];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i % 3;
        }
        ImageDataset data = new ImageDataset(px, labels, 1, 4, 4, List.of("a", "b", "c"));
        Transform t = Transforms.compose(List.of(Transforms.randomCrop(4, 1), Transforms.horizontalFlip(0.5)));
        try (BatchLoader l = new BatchLoader(data, 5, true, true, t, 11, 2)) {
            List<Batch> whole = new ArrayList<>();
            l.epoch(2).forEachRemaining(whole::add);
            assertEquals(7, whole.size());
            Iterator<Batch> from = l.epoch(2, 4);
            for (int b = 4; b < 7; b++) {
                Batch x = from.next();
                assertEquals(whole.get(b).index(), x.index());
                assertArrayEquals(whole.get(b).labels(), x.labels());
                assertArrayEquals(whole.get(b).images(), x.images());
            }
            assertFalse(from.hasNext());
            assertFalse(l.epoch(2, 7).hasNext());
        }
    }
}
