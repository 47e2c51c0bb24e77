package org.automixonnx.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.automixonnx.models.ResNetConfig;
import org.automixonnx.onnx.DType;
import org.automixonnx.onnx.Shape;
import org.automixonnx.onnx.Tensor;

/**
 * Reads a reference fixture written by the tools/make_*_fixture.py scripts: magic {@code AMXFIX01}, uint32
 * header length, a JSON header ({@code meta}, {@code tensors} with name, dtype, shape, offset), then the
 * little-endian tensor bytes.
 */
public final class FixtureFile {
    private static final byte[] MAGIC = "AMXFIX01".getBytes(StandardCharsets.US_ASCII);

    private final JsonNode meta;
    private final Map<String, Tensor> tensors;

    private FixtureFile(JsonNode meta, Map<String, Tensor> tensors) {
        this.meta = meta;
        this.tensors = tensors;
    }

    public static FixtureFile read(Path file) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        byte[] magic = new byte[MAGIC.length];
        buf.get(magic);
        if (!Arrays.equals(magic, MAGIC)) {
            throw new IOException(file + " is not a fixture file");
        }
        byte[] header = new byte[buf.getInt()];
        buf.get(header);
        int dataStart = buf.position();
        JsonNode root = new ObjectMapper().readTree(header);
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (JsonNode t : root.get("tensors")) {
            DType dtype = switch (t.get("dtype").asText()) {
                case "float32" -> DType.FLOAT;
                case "int64" -> DType.INT64;
                default -> throw new IOException("unsupported fixture dtype " + t.get("dtype"));
            };
            long[] dims = StreamSupport.stream(t.get("shape").spliterator(), false).mapToLong(JsonNode::asLong)
                    .toArray();
            Shape shape = Shape.of(dims);
            int start = dataStart + t.get("offset").asInt();
            int len = Math.toIntExact(shape.numel() * dtype.byteSize);
            tensors.put(t.get("name").asText(), new Tensor(dtype, shape, buf.slice(start, len)));
        }
        return new FixtureFile(root.get("meta"), tensors);
    }

    public JsonNode meta() {
        return meta;
    }

    /**
     * The CIFAR-stem ResNet a reference script trained (tools/make_resnet_fixture.py, make_automix_fixture.py):
     * the meta's {@code classes}, {@code blocks} per stage, {@code base_width} and input {@code channels}.
     */
    public ResNetConfig resNetConfig() {
        int[] blocks = StreamSupport.stream(meta.get("blocks").spliterator(), false).mapToInt(JsonNode::asInt)
                .toArray();
        return ResNetConfig.resnet18Cifar(meta.get("classes").asInt()).withBlocks(blocks)
                .withBaseWidth(meta.get("base_width").asInt()).withInChannels(meta.get("channels").asInt());
    }

    public Tensor get(String name) {
        Tensor t = tensors.get(name);
        if (t == null) {
            throw new IllegalArgumentException("fixture has no tensor '" + name + "'");
        }
        return t;
    }

    /** Every tensor whose name starts with {@code prefix}, keyed by the rest of the name. */
    public Map<String, Tensor> withPrefix(String prefix) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        tensors.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                out.put(k.substring(prefix.length()), v);
            }
        });
        return out;
    }
}
