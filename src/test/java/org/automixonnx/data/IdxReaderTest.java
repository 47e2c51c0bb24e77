package org.automixonnx.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {
    static final Path BUNDLED = Path.of("testdata", "fashion-mnist");

    @Test
    void readsBundledSubsetBalanced() throws IOException {
        ImageDataset train = IdxReader.readSplit(BUNDLED, "train", IdxReader.FASHION_CLASSES);
        ImageDataset test = IdxReader.readSplit(BUNDLED, "t10k", IdxReader.FASHION_CLASSES);
        assertEquals(6000, train.size());
        assertEquals(1000, test.size());
        assertEquals(28, train.height());
        assertEquals(1, train.channels());
        int[] counts = new int[10];
        for (int i = 0; i < test.size(); i++) {
            counts[test.label(i)]++;
        }
        int[] hundred = new int[10];
        Arrays.fill(hundred, 100);
        assertTrue(Arrays.equals(hundred, counts), Arrays.toString(counts));
    }

    private static byte[] idx(int magicDims, int[] dims, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + payload.length);
        b.putInt(0x0800 | magicDims);
        for (int d : dims) {
            b.putInt(d);
        }
        b.put(payload);
        return b.array();
    }

    private static byte[] gz(byte[] raw) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(out)) {
            g.write(raw);
        }
        return out.toByteArray();
    }

    @Test
    void rawAndGzippedReadTheSame(@TempDir Path dir) throws IOException {
        byte[] pixels = new byte[2 * 3 * 4];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) (i * 10);
        }
        Files.write(dir.resolve("train-images-idx3-ubyte"), idx(3, new int[] {2, 3, 4}, pixels));
        Files.write(dir.resolve("train-labels-idx1-ubyte.gz"), gz(idx(1, new int[] {2}, new byte[] {7, 2})));
        ImageDataset d = IdxReader.readSplit(dir, "train", IdxReader.DIGIT_CLASSES);
        assertEquals(2, d.size());
        assertEquals(7, d.label(0));
        assertEquals(230, d.pixel(1, 0, 2, 3));
    }

    @Test
    void truncatedFileIsRefusedWithItsName(@TempDir Path dir) throws IOException {
        byte[] full = idx(3, new int[] {2, 3, 4}, new byte[24]);
        Files.write(dir.resolve("train-images-idx3-ubyte"), Arrays.copyOf(full, full.length - 5));
        Files.write(dir.resolve("train-labels-idx1-ubyte"), idx(1, new int[] {2}, new byte[] {1, 2}));
        DatasetException e = assertThrows(DatasetException.class,
                () -> IdxReader.readSplit(dir, "train", IdxReader.DIGIT_CLASSES));
        assertTrue(e.getMessage().contains("truncated") && e.getMessage().contains("train-images"), e.getMessage());
    }

    @Test
    void corruptGzipIsRefused(@TempDir Path dir) throws IOException {
        byte[] g = gz(idx(3, new int[] {2, 3, 4}, new byte[24]));
        Files.write(dir.resolve("train-images-idx3-ubyte.gz"), Arrays.copyOf(g, g.length / 2));
        Files.write(dir.resolve("train-labels-idx1-ubyte"), idx(1, new int[] {2}, new byte[] {1, 2}));
        DatasetException e = assertThrows(DatasetException.class,
                () -> IdxReader.readSplit(dir, "train", IdxReader.DIGIT_CLASSES));
        assertTrue(e.getMessage().contains("gzip"), e.getMessage());
    }

    @Test
    void labelOutOfRangeAndCountMismatchAreRefused(@TempDir Path dir) throws IOException {
        Files.write(dir.resolve("train-images-idx3-ubyte"), idx(3, new int[] {2, 3, 4}, new byte[24]));
        Files.write(dir.resolve("train-labels-idx1-ubyte"), idx(1, new int[] {2}, new byte[] {1, 12}));
        DatasetException e = assertThrows(DatasetException.class,
                () -> IdxReader.readSplit(dir, "train", IdxReader.DIGIT_CLASSES));
        assertTrue(e.getMessage().contains("out of range"), e.getMessage());
        Files.write(dir.resolve("train-labels-idx1-ubyte"), idx(1, new int[] {3}, new byte[] {1, 2, 3}));
        e = assertThrows(DatasetException.class, () -> IdxReader.readSplit(dir, "train", IdxReader.DIGIT_CLASSES));
        assertTrue(e.getMessage().contains("2 images but"), e.getMessage());
    }

    @Test
    void wrongMagicIsRefused(@TempDir Path dir) throws IOException {
        Files.write(dir.resolve("train-images-idx3-ubyte"), "this is not idx at all".getBytes());
        Files.write(dir.resolve("train-labels-idx1-ubyte"), idx(1, new int[] {2}, new byte[] {1, 2}));
        DatasetException e = assertThrows(DatasetException.class,
                () -> IdxReader.readSplit(dir, "train", IdxReader.DIGIT_CLASSES));
        assertTrue(e.getMessage().contains("magic"), e.getMessage());
    }
}
