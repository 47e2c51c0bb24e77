package org.automixonnx.data;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.automixonnx.onnx.HeapBudget;

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
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (CharacterCodingException e) {
            throw new DatasetException("class name file " + file + " is not UTF-8 text; save it as UTF-8 or remove it"
                    + " (the standard names are used without it)");
        }
        List<String> names = lines.stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
        return names.size() == fallback.size() ? names : fallback;
    }

    /** The size of {@code f}, a regular file of whole {@code record}-byte records (checked before reading). */
    private static long recordBytes(Path f, int record) throws IOException {
        if (Files.isDirectory(f)) {
            throw new DatasetException("CIFAR file " + f + " is a folder; expected a binary batch file");
        }
        long size;
        try {
            size = Files.size(f);
        } catch (NoSuchFileException e) {
            throw new DatasetException("CIFAR file not found: " + f);
        }
        if (size == 0 || size % record != 0) {
            throw new DatasetException(f + ": size " + size + " is not a whole number of " + record
                    + "-byte CIFAR records (truncated or not a CIFAR binary file)");
        }
        return size;
    }

    static ImageDataset read(List<Path> files, int labelBytes, int labelIndex, List<String> classNames)
            throws IOException {
        int record = labelBytes + PIXELS;
        long total = 0;
        for (Path f : files) {
            long size = recordBytes(f, record);
            // each file is read whole, and all images end up in one pixel array: both must fit
            String tooLarge = HeapBudget.refusal(size);
            total += size / record;
            String allTooLarge = HeapBudget.refusal(HeapBudget.product(total, PIXELS));
            if (tooLarge != null || allTooLarge != null) {
                throw new DatasetException(f + " holds " + size / record + " CIFAR records (" + total + " images"
                        + " with the files before it), which " + (tooLarge != null ? tooLarge : allTooLarge));
            }
        }
        List<byte[]> contents = new ArrayList<>();
        for (Path f : files) {
            contents.add(Files.readAllBytes(f));
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
