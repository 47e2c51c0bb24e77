package org.automixonnx.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the CIFAR-10 / CIFAR-100 "binary version". A CIFAR-10 record is 1 label byte + 3072 pixel bytes
 * (R, G, B planes of 32x32, i.e. already CHW); a CIFAR-100 record has a coarse and a fine label byte
 * first (we use the fine label).
 */
public final class CifarReader {
    public static final List<String> CIFAR10_CLASSES = List.of("airplane", "automobile", "bird", "cat", "deer", "dog",
            "frog", "horse", "ship", "truck");
    private static final int PIXELS = 3 * 32 * 32;

    private CifarReader() {
    }

    /** CIFAR-10: train = data_batch_1..5.bin, test = test_batch.bin (in {@code dir} or its cifar-10-batches-bin). */
    public static ImageDataset readCifar10(Path dir, boolean train) throws IOException {
        Path base = Files.isDirectory(dir.resolve("cifar-10-batches-bin")) ? dir.resolve("cifar-10-batches-bin") : dir;
        List<Path> files = new ArrayList<>();
        if (train) {
            for (int i = 1; i <= 5; i++) {
                files.add(base.resolve("data_batch_" + i + ".bin"));
            }
        } else {
            files.add(base.resolve("test_batch.bin"));
        }
        List<String> names = readNames(base.resolve("batches.meta.txt"), CIFAR10_CLASSES);
        return read(files, 1, 0, names);
    }

    /** CIFAR-100 (fine labels): train.bin / test.bin (in {@code dir} or its cifar-100-binary). */
    public static ImageDataset readCifar100(Path dir, boolean train) throws IOException {
        Path base = Files.isDirectory(dir.resolve("cifar-100-binary")) ? dir.resolve("cifar-100-binary") : dir;
        List<String> fallback = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            fallback.add("class" + i);
        }
        List<String> names = readNames(base.resolve("fine_label_names.txt"), fallback);
        return read(List.of(base.resolve(train ? "train.bin" : "test.bin")), 2, 1, names);
    }

    static List<String> readNames(Path file, List<String> fallback) throws IOException {
        if (!Files.isRegularFile(file)) {
            return fallback;
        }
        List<String> names = Files.readAllLines(file).stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
        return names.size() == fallback.size() ? names : fallback;
    }

    static ImageDataset read(List<Path> files, int labelBytes, int labelIndex, List<String> classNames)
            throws IOException {
        int record = labelBytes + PIXELS;
        List<byte[]> contents = new ArrayList<>();
        long total = 0;
        for (Path f : files) {
            byte[] b;
            try {
                b = Files.readAllBytes(f);
            } catch (NoSuchFileException e) {
                throw new DatasetException("CIFAR file not found: " + f);
            }
            if (b.length == 0 || b.length % record != 0) {
                throw new DatasetException(f + ": size " + b.length + " is not a whole number of " + record
                        + "-byte CIFAR records (truncated or not a CIFAR binary file)");
            }
            contents.add(b);
            total += b.length / record;
        }
        int n = Math.toIntExact(total);
        byte[] pixels = new byte[n * PIXELS];
        int[] labels = new int[n];
        int k = 0;
        for (int fi = 0; fi < contents.size(); fi++) {
            byte[] b = contents.get(fi);
            for (int off = 0; off < b.length; off += record, k++) {
                labels[k] = b[off + labelIndex] & 0xff;
                if (labels[k] >= classNames.size()) {
                    throw new DatasetException(files.get(fi) + ": label " + labels[k] + " of record " + off / record
                            + " is out of range 0.." + (classNames.size() - 1));
                }
                System.arraycopy(b, off + labelBytes, pixels, k * PIXELS, PIXELS);
            }
        }
        return new ImageDataset(pixels, labels, 3, 32, 32, classNames);
    }
}
