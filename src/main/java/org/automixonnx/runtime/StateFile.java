package org.automixonnx.runtime;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32C;
import org.automixonnx.onnx.DType;
import org.automixonnx.onnx.HeapBudget;
import org.automixonnx.onnx.Shape;
import org.automixonnx.onnx.Tensor;

/**
 * A file of named tensors plus free-form JSON metadata: checkpoints of training runs and the input of
 * {@code export}. Written atomically ({@link AtomicFiles}: temp file in the same folder, fsync, rename), so
 * a crash leaves either the old or the new file; every load checks structure and checksums, so a truncated or
 * corrupt file fails with a message that says what is wrong instead of loading garbage.
 *
 * <p>Layout (little-endian):
 * <pre>
 *  0  8 bytes  magic "AMXSTATE"
 *  8  uint32   format version (1)
 * 12  uint32   header length H
 * 16  uint32   CRC32C of the header bytes
 * 20  H bytes  UTF-8 JSON {"meta": {...}, "payload_bytes": L,
 *                          "tensors": [{"name", "dtype" (ONNX name, e.g. float, int64), "shape", "offset"}]}
 *     L bytes  payload: each tensor's raw little-endian bytes at its offset, in index order, no gaps
 *     uint32   CRC32C of the payload
 *     8 bytes  end magic "AMXEND01"
 * </pre>
 */
public final class StateFile {
    public static final int VERSION = 1;
    private static final byte[] MAGIC = "AMXSTATE".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END = "AMXEND01".getBytes(StandardCharsets.US_ASCII);
    private static final int PREFIX = 20;
    private static final int TRAILER = 12;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final JsonNode meta;
    private final Map<String, Tensor> tensors;

    private StateFile(JsonNode meta, Map<String, Tensor> tensors) {
        this.meta = meta;
        this.tensors = Collections.unmodifiableMap(tensors);
    }

    /** Free-form metadata written with the tensors (an empty object when none was given). */
    public JsonNode meta() {
        return meta;
    }

    /** The tensors in file order. */
    public Map<String, Tensor> tensors() {
        return tensors;
    }

    /** A fresh metadata object to fill and pass to {@link #write}. */
    public static ObjectNode newMeta() {
        return JSON.createObjectNode();
    }

    // ------------------------------------------------------------------ write

    /** One tensor to write: its raw little-endian bytes from position 0 to the limit. */
    private record Entry(String name, DType dtype, Shape shape, ByteBuffer data) {
    }

    public static void write(Path file, Map<String, Tensor> tensors, JsonNode meta) throws IOException {
        List<Entry> entries = new ArrayList<>();
        tensors.forEach((name, t) -> entries.add(new Entry(name, t.dtype(), t.shape(), t.bytes())));
        write(file, entries, meta);
    }

    /** Writes a run's live state straight from its direct buffers (no heap copy of the tensors). */
    public static void write(Path file, StateStore store, JsonNode meta) throws IOException {
        List<Entry> entries = new ArrayList<>();
        boolean littleEndian = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;
        for (DirectTensor t : store.tensors()) {
            // direct buffers hold native order; the file is little-endian (a heap copy converts on big-endian)
            entries.add(new Entry(t.name(), t.dtype(), t.shape(), littleEndian ? t.bytes() : t.toTensor().bytes()));
        }
        write(file, entries, meta);
    }

    private static void write(Path file, List<Entry> entries, JsonNode meta) throws IOException {
        ObjectNode header = JSON.createObjectNode();
        header.set("meta", meta == null ? JSON.createObjectNode() : meta);
        ArrayNode index = header.putArray("tensors");
        long offset = 0;
        for (Entry t : entries) {
            ObjectNode n = index.addObject();
            n.put("name", t.name());
            n.put("dtype", t.dtype().name().toLowerCase());
            ArrayNode shape = n.putArray("shape");
            for (long d : t.shape().dims()) {
                shape.add(d);
            }
            n.put("offset", offset);
            long bytes = t.shape().numel() * t.dtype().byteSize;
            if (t.data().remaining() != bytes) {
                throw new IllegalArgumentException("tensor '" + t.name() + "' has " + t.data().remaining()
                        + " bytes, its shape needs " + bytes);
            }
            offset += bytes;
        }
        header.put("payload_bytes", offset);
        byte[] headerBytes = JSON.writeValueAsBytes(header);

        CRC32C payloadCrc = new CRC32C();
        List<ByteBuffer> parts = new ArrayList<>();
        ByteBuffer prefix = le(PREFIX);
        prefix.put(MAGIC).putInt(VERSION).putInt(headerBytes.length).putInt(crc(headerBytes));
        parts.add(prefix.flip());
        parts.add(ByteBuffer.wrap(headerBytes));
        for (Entry t : entries) {
            payloadCrc.update(t.data().duplicate());
            parts.add(t.data().duplicate());
        }
        ByteBuffer trailer = le(TRAILER);
        trailer.putInt((int) payloadCrc.getValue()).put(END);
        parts.add(trailer.flip());
        AtomicFiles.write(file, parts.toArray(ByteBuffer[]::new));
    }

    // ------------------------------------------------------------------ read

    /**
     * Reads and checks a state file. The whole file is read into the heap, so its size is checked against the heap
     * first ({@link HeapBudget}); every problem, running out of heap included, fails naming the file.
     */
    public static StateFile read(Path file) throws IOException {
        try {
            return readChecked(file);
        } catch (OutOfMemoryError e) {
            throw corrupt(file, "does not fit in " + HeapBudget.heapLimit());
        }
    }

    private static StateFile readChecked(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            String tooLarge = HeapBudget.totalRefusal(size);
            if (tooLarge != null) {
                throw corrupt(file, "is " + size + " bytes, which " + tooLarge);
            }
            byte[] magic = new byte[MAGIC.length];
            if (size >= MAGIC.length) {
                readAt(ch, 0, MAGIC.length).get(magic);
            }
            if (size >= MAGIC.length && !Arrays.equals(magic, MAGIC)) {
                throw corrupt(file, "is not a state file (no AMXSTATE magic)");
            }
            if (size < PREFIX + TRAILER) {
                throw corrupt(file, "is " + size + " bytes, too short for a state file (truncated?)");
            }
            ByteBuffer prefix = readAt(ch, MAGIC.length, PREFIX - MAGIC.length);
            int version = prefix.getInt();
            if (version != VERSION) {
                throw corrupt(file, "has state file format version " + version + ", this build reads version "
                        + VERSION);
            }
            long headerLen = Integer.toUnsignedLong(prefix.getInt());
            int headerCrc = prefix.getInt();
            if (PREFIX + headerLen + TRAILER > size) {
                throw corrupt(file, "is truncated: its header alone needs " + (PREFIX + headerLen + TRAILER)
                        + " bytes, the file has " + size);
            }
            byte[] headerBytes = new byte[(int) headerLen];
            readAt(ch, PREFIX, (int) headerLen).get(headerBytes);
            if (crc(headerBytes) != headerCrc) {
                throw corrupt(file, "has a corrupt header (checksum mismatch)");
            }
            JsonNode header = parse(file, headerBytes);
            long payloadLen = header.path("payload_bytes").asLong(-1);
            long payloadStart = PREFIX + headerLen;
            long expectedSize = payloadStart + payloadLen + TRAILER;
            if (payloadLen < 0 || expectedSize != size) {
                throw corrupt(file, (size < expectedSize ? "is truncated" : "has trailing or missing bytes")
                        + ": expected " + expectedSize + " bytes, found " + size);
            }
            ByteBuffer trailer = readAt(ch, payloadStart + payloadLen, TRAILER);
            int payloadCrc = trailer.getInt();
            byte[] end = new byte[END.length];
            trailer.get(end);
            if (!Arrays.equals(end, END)) {
                throw corrupt(file, "has no end marker (truncated or overwritten)");
            }
            Map<String, Tensor> tensors = readTensors(file, ch, header, payloadStart, payloadLen, payloadCrc);
            return new StateFile(header.path("meta").isObject() ? header.get("meta") : JSON.createObjectNode(),
                    tensors);
        }
    }

    private static Map<String, Tensor> readTensors(Path file, FileChannel ch, JsonNode header, long payloadStart,
            long payloadLen, int expectedCrc) throws IOException {
        Map<String, Tensor> out = new LinkedHashMap<>();
        Set<String> seen = new HashSet<>();
        CRC32C crc = new CRC32C();
        long expectedOffset = 0;
        for (JsonNode t : header.path("tensors")) {
            String name = t.path("name").asText(null);
            if (name == null || !seen.add(name)) {
                throw corrupt(file, "has a tensor entry without a name or a duplicate name: " + t);
            }
            DType dtype = dtype(file, name, t.path("dtype").asText(""));
            long[] dims = new long[t.path("shape").size()];
            for (int i = 0; i < dims.length; i++) {
                dims[i] = t.path("shape").get(i).asLong(-1);
                if (dims[i] < 0) {
                    throw corrupt(file, "has a negative dimension in tensor '" + name + "'");
                }
            }
            Shape shape = Shape.of(dims);
            long bytes = shape.numel() * dtype.byteSize;
            long offset = t.path("offset").asLong(-1);
            if (offset != expectedOffset || offset + bytes > payloadLen || bytes > Integer.MAX_VALUE) {
                throw corrupt(file, "has an inconsistent index entry for tensor '" + name + "' (offset " + offset
                        + ", " + bytes + " bytes, payload " + payloadLen + ")");
            }
            ByteBuffer data = readAt(ch, payloadStart + offset, (int) bytes);
            crc.update(data.duplicate());
            out.put(name, new Tensor(dtype, shape, data));
            expectedOffset += bytes;
        }
        if (expectedOffset != payloadLen) {
            throw corrupt(file, "has " + (payloadLen - expectedOffset) + " payload bytes not covered by its index");
        }
        if ((int) crc.getValue() != expectedCrc) {
            throw corrupt(file, "has corrupt tensor data (checksum mismatch)");
        }
        return out;
    }

    private static DType dtype(Path file, String name, String s) throws IOException {
        for (DType d : DType.values()) {
            if (d.name().equalsIgnoreCase(s)) {
                return d;
            }
        }
        throw corrupt(file, "has tensor '" + name + "' of unknown element type '" + s + "'");
    }

    private static JsonNode parse(Path file, byte[] header) throws IOException {
        try {
            return JSON.readTree(header);
        } catch (JsonProcessingException e) {
            throw corrupt(file, "has an unreadable header: " + e.getOriginalMessage());
        }
    }

    private static ByteBuffer readAt(FileChannel ch, long position, int length) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        while (b.hasRemaining()) {
            if (ch.read(b, position + b.position()) < 0) {
                throw new IOException("unexpected end of file at byte " + (position + b.position()));
            }
        }
        return b.flip();
    }

    private static ByteBuffer le(int n) {
        return ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static int crc(byte[] b) {
        CRC32C c = new CRC32C();
        c.update(b);
        return (int) c.getValue();
    }

    private static IOException corrupt(Path file, String what) {
        return new IOException("state file " + file + " " + what);
    }
}
