package org.automixonnx.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.automixonnx.onnx.HeapBudget;

/**
 * Reads (Fashion-)MNIST in IDX format, gzipped or raw. The format: a big-endian magic whose third byte
 * is the element type (0x08 = unsigned byte) and fourth the number of dimensions, then one big-endian
 * int32 per dimension, then the data. Images are idx3 [N, H, W]; labels idx1 [N].
 */
public final class IdxReader {
    public static final List<String> FASHION_CLASSES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");
    public static final List<String> DIGIT_CLASSES = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");

    private IdxReader() {
    }

    /** The images and labels of one split ("train" or "t10k") in a folder, with either .gz or raw files. */
    public static ImageDataset readSplit(Path dir, String split, List<String> classNames) throws IOException {
        Path images = find(dir, split + "-images-idx3-ubyte");
        Path labels = find(dir, split + "-labels-idx1-ubyte");
        return read(images, labels, classNames);
    }

    static Path find(Path dir, String base) {
        for (String name : List.of(base + ".gz", base, base.replace("-idx", ".idx"))) {
            Path p = dir.resolve(name);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        throw new DatasetException("no file " + base + "[.gz] in " + dir);
    }

    public static ImageDataset read(Path imagesFile, Path labelsFile, List<String> classNames) throws IOException {
        Idx img = readIdx(imagesFile);
        Idx lab = readIdx(labelsFile);
        if (img.dims.length != 3) {
            throw new DatasetException(imagesFile + ": expected a 3-D image file, found " + img.dims.length + " dims");
        }
        if (lab.dims.length != 1) {
            throw new DatasetException(labelsFile + ": expected a 1-D label file, found " + lab.dims.length + " dims");
        }
        if (img.dims[0] != lab.dims[0]) {
            throw new DatasetException(imagesFile + " holds " + img.dims[0] + " images but " + labelsFile + " holds "
                    + lab.dims[0] + " labels");
        }
        int[] labels = new int[lab.dims[0]];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = lab.data[i] & 0xff;
            if (labels[i] >= classNames.size()) {
                throw new DatasetException(labelsFile + ": label " + labels[i] + " at index " + i + " is out of range 0.."
                        + (classNames.size() - 1));
            }
        }
        return new ImageDataset(img.data, labels, 1, img.dims[1], img.dims[2], classNames);
    }

    record Idx(int[] dims, byte[] data) {
    }

    /**
     * Reads one IDX file as a stream: the header first, whose dimensions are checked against the heap
     * ({@link HeapBudget}) before the data is allocated, then exactly the values it declares. A small gzip that
     * inflates to gigabytes is refused by its header, or by the first byte past the values it declares, without
     * being inflated.
     */
    static Idx readIdx(Path file) throws IOException {
        try (InputStream in = open(file)) {
            byte[] head = in.readNBytes(4);
            if (head.length < 4) {
                throw new DatasetException(file + ": too short to be an IDX file (" + head.length + " bytes)");
            }
            int magic = ByteBuffer.wrap(head).getInt();
            if ((magic >>> 16) != 0 || ((magic >>> 8) & 0xff) != 0x08) {
                throw new DatasetException(file + ": not an unsigned-byte IDX file (magic 0x"
                        + Integer.toHexString(magic) + ")");
            }
            int nd = magic & 0xff;
            byte[] dimBytes = nd < 1 || nd > 4 ? new byte[0] : in.readNBytes(4 * nd);
            if (nd < 1 || nd > 4 || dimBytes.length < 4 * nd) {
                throw new DatasetException(file + ": bad IDX header (" + nd + " dimensions)");
            }
            ByteBuffer b = ByteBuffer.wrap(dimBytes);
            int[] dims = new int[nd];
            long[] sizes = new long[nd];
            for (int i = 0; i < nd; i++) {
                dims[i] = b.getInt();
                if (dims[i] < 0) {
                    throw new DatasetException(file + ": negative dimension in IDX header");
                }
                sizes[i] = dims[i];
            }
            long count = HeapBudget.product(sizes);
            String tooLarge = HeapBudget.refusal(count);
            if (tooLarge != null) {
                throw new DatasetException(file + ": its IDX header declares " + Arrays.toString(dims) + " = " + count
                        + " values, which " + tooLarge);
            }
            byte[] data = in.readNBytes((int) count);
            if (data.length < count) {
                throw new DatasetException(file + ": truncated (header says " + count + " values, file holds "
                        + data.length + ")");
            }
            if (in.read() != -1) {
                throw new DatasetException(file + ": has trailing bytes (header says " + count + " values, the file"
                        + " holds more)");
            }
            return new Idx(dims, data);
        } catch (NoSuchFileException e) {
            throw new DatasetException("file not found: " + file);
        } catch (EOFException | ZipException e) {
            throw new DatasetException(file + ": corrupt or truncated gzip data (" + e.getMessage() + ")", e);
        }
    }

    /** The file's bytes, inflated when it starts with the gzip magic. */
    private static InputStream open(Path file) throws IOException {
        InputStream raw = new BufferedInputStream(Files.newInputStream(file));
        try {
            raw.mark(2);
            int b0 = raw.read();
            int b1 = raw.read();
            raw.reset();
            return b0 == 0x1f && b1 == 0x8b ? new GZIPInputStream(raw, 1 << 16) : raw;
        } catch (IOException | RuntimeException e) {
            raw.close();
            throw e;
        }
    }
}
