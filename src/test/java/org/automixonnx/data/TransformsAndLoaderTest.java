package org.automixonnx.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TransformsAndLoaderTest {
    private static ImageBuffer ramp(int c, int h, int w) {
        float[] d = new float[c * h * w];
        for (int i = 0; i < d.length; i++) {
            d[i] = i;
        }
        return new ImageBuffer(d, c, h, w);
    }

    @Test
    void flipMirrorsRows() {
        ImageBuffer img = ramp(1, 2, 3);
        Transforms.horizontalFlip(1.0).apply(img, new SplittableRandom(1));
        assertArrayEquals(new float[] {2, 1, 0, 5, 4, 3}, img.data);
    }

    @Test
    void randomCropIsAShiftedWindowWithZeroPadding() {
        for (int seed = 0; seed < 50; seed++) {
            ImageBuffer img = ramp(1, 6, 6);
            float[] src = img.data.clone();
            Transforms.randomCrop(6, 2).apply(img, new SplittableRandom(seed));
            // Find the shift: every non-zero output pixel must equal the source at one common offset.
            boolean matched = false;
            for (int dy = -2; dy <= 2 && !matched; dy++) {
                for (int dx = -2; dx <= 2 && !matched; dx++) {
                    boolean ok = true;
                    for (int y = 0; y < 6 && ok; y++) {
                        for (int x = 0; x < 6 && ok; x++) {
                            int sy = y + dy;
                            int sx = x + dx;
                            float expect = sy >= 0 && sy < 6 && sx >= 0 && sx < 6 ? src[sy * 6 + sx] : 0f;
                            ok = img.data[y * 6 + x] == expect;
                        }
                    }
                    matched = ok;
                }
            }
            assertTrue(matched, "crop with seed " + seed + " is not a padded shift");
        }
    }

    @Test
    void randomResizedCropHasTargetSizeAndStaysInRange() {
        ImageBuffer img = ramp(3, 20, 30);
        Transforms.randomResizedCrop(8, 0.08, 1.0).apply(img, new SplittableRandom(3));
        assertEquals(8, img.height);
        assertEquals(8, img.width);
        for (float v : img.data) {
            assertTrue(v >= 0 && v < 3 * 20 * 30);
        }
    }

    @Test
    void normalizeUsesPerChannelStatistics() {
        ImageBuffer img = new ImageBuffer(new float[] {255, 0}, 2, 1, 1);
        Transforms.normalize(new float[] {0.5f, 0.25f}, new float[] {0.5f, 0.25f}).apply(img, null);
        assertEquals(1f, img.data[0], 1e-6);
        assertEquals(-1f, img.data[1], 1e-6);
    }

    private static ImageDataset tiny(int n) {
        byte[] px = new byte[n * 4 * 4];
        int[] lab = new int[n];
        for (int i = 0; i < n; i++) {
            lab[i] = i % 3;
            for (int k = 0; k < 16; k++) {
                px[i * 16 + k] = (byte) (i + k);
            }
        }
        return new ImageDataset(px, lab, 1, 4, 4, List.of("a", "b", "c"));
    }

    private static List<Batch> collect(BatchLoader l, int epoch) {
        List<Batch> out = new ArrayList<>();
        for (Iterator<Batch> it = l.epoch(epoch); it.hasNext();) {
            out.add(it.next());
        }
        return out;
    }

    @Test
    void loaderIsDeterministicWhateverTheWorkerCount() {
        Transform aug = Transforms.compose(List.of(Transforms.randomCrop(4, 1), Transforms.horizontalFlip(0.5)));
        try (BatchLoader one = new BatchLoader(tiny(37), 8, true, true, aug, 42, 1);
                BatchLoader three = new BatchLoader(tiny(37), 8, true, true, aug, 42, 3)) {
            List<Batch> a = collect(one, 2);
            List<Batch> b = collect(three, 2);
            assertEquals(4, a.size());
            for (int i = 0; i < a.size(); i++) {
                assertArrayEquals(a.get(i).images(), b.get(i).images());
                assertArrayEquals(a.get(i).labels(), b.get(i).labels());
            }
            assertNotEquals(java.util.Arrays.toString(a.get(0).sampleIndices()),
                    java.util.Arrays.toString(collect(one, 3).get(0).sampleIndices()), "epochs must differ in order");
        }
    }

    @Test
    void epochVisitsEverySampleOnce() {
        try (BatchLoader l = new BatchLoader(tiny(10), 4, true, false, null, 1, 2)) {
            boolean[] seen = new boolean[10];
            int count = 0;
            for (Batch b : collect(l, 0)) {
                for (int i : b.sampleIndices()) {
                    assertTrue(!seen[i]);
                    seen[i] = true;
                    count++;
                }
            }
            assertEquals(10, count);
        }
    }

    @Test
    void cifarBinaryIsReadAndTruncationRefused(@TempDir Path dir) throws IOException {
        byte[] rec = new byte[2 * 3073];
        rec[0] = 3;
        rec[1] = 7;
        rec[3073] = 9;
        rec[3073 + 1 + 1024] = (byte) 200; // green plane, first pixel of image 1
        for (int i = 1; i <= 5; i++) {
            Files.write(dir.resolve("data_batch_" + i + ".bin"), rec);
        }
        ImageDataset d = CifarReader.readCifar10(dir, true);
        assertEquals(10, d.size());
        assertEquals(3, d.label(0));
        assertEquals(9, d.label(1));
        assertEquals(7, d.pixel(0, 0, 0, 0));
        assertEquals(200, d.pixel(1, 1, 0, 0));
        Files.write(dir.resolve("test_batch.bin"), java.util.Arrays.copyOf(rec, 3000));
        DatasetException e = assertThrows(DatasetException.class, () -> CifarReader.readCifar10(dir, false));
        assertTrue(e.getMessage().contains("test_batch.bin"), e.getMessage());
    }
}
