package org.automixonnx.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.automixonnx.runtime.GraphSession;
import org.automixonnx.runtime.SessionFactory;
import org.automixonnx.testing.RandomNormal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Writing and reading {@code .onnx} files: round trips, ORT compatibility, corrupt input, a PyTorch export. */
class OnnxIOTest {
    private static final Path TORCH_FIXTURE = Path.of("testdata/onnx/tiny_convnet.onnx");
    private static final Path TORCH_REFERENCE = Path.of("testdata/onnx/tiny_convnet.json");

    @TempDir
    Path tmp;

    /** A model touching every attribute kind, int and float initializers, a Constant node and a symbolic batch. */
    static Model sampleModel() {
        GraphBuilder b = new GraphBuilder("sample");
        Ops o = new Ops(b);
        Value x = b.input("x", DType.FLOAT, Shape.symbolic(new long[] {-1, 3, 6, 6}, new String[] {"N", null, null, null}));
        Random r = new Random(3);
        Value w = b.initializer("conv.weight", RandomNormal.tensor(r, Shape.of(4, 3, 3, 3)));
        Value bias = b.initializer("conv.bias", RandomNormal.tensor(r, Shape.of(4)));
        Value y;
        try (GraphBuilder.Scope s = b.scope("block")) {
            y = o.relu(o.conv2d(x, w, bias, 1, 1, 1, 1));
            y = b.op("MaxPool", List.of(y), Map.of("kernel_shape", new long[] {2, 2}, "strides", new long[] {2, 2}));
        }
        Value shift = b.op("Constant", List.of(), Map.of("value", Tensor.filled(Shape.of(1, 4, 1, 1), 0.25f)));
        y = o.add(y, shift);
        y = b.op("LeakyRelu", List.of(y), Map.of("alpha", 0.05f));
        y = b.op("Resize", Arrays.asList(y, null, b.constant(Tensor.ofFloats(Shape.of(4), new float[] {1, 1, 2, 2}))),
                Map.of("mode", "nearest", "coordinate_transformation_mode", "asymmetric"));
        Value flat = o.flatten(o.globalAveragePool(y), 1);
        b.output(flat, "features");
        return b.buildModel().withMetadata(Map.of("class_names", "cat,dog", "method", "mixup"));
    }

    @Test
    void writeThenReadPreservesNodesAttributesInitializersAndShapes() throws IOException {
        Model m = sampleModel();
        Path file = tmp.resolve("sample.onnx");
        OnnxIO.write(m, file);
        Model back = OnnxIO.read(file);

        assertEquals(m.opset(), back.opset());
        assertEquals(m.metadata(), back.metadata());
        Graph g = m.graph();
        Graph h = back.graph();
        assertEquals(g.name(), h.name());
        assertEquals(g.nodes().size(), h.nodes().size());
        for (int i = 0; i < g.nodes().size(); i++) {
            Node a = g.nodes().get(i);
            Node c = h.nodes().get(i);
            assertEquals(a.name(), c.name());
            assertEquals(a.opType(), c.opType());
            assertEquals(a.inputs(), c.inputs());
            assertEquals(a.outputs(), c.outputs());
            assertEquals(a.attributes().keySet(), c.attributes().keySet(), a.name());
            for (String k : a.attributes().keySet()) {
                assertAttributeEquals(a.attributes().get(k), c.attributes().get(k), a.name() + "." + k);
            }
        }
        assertEquals(g.initializers().keySet(), h.initializers().keySet());
        g.initializers().forEach((k, t) -> assertTensorEquals(t, h.initializers().get(k), k));
        assertEquals(g.inputs().size(), h.inputs().size());
        for (Value v : g.inputs()) {
            Value u = h.input(v.name());
            assertEquals(v.dtype(), u.dtype());
            assertEquals(v.shape(), u.shape());
            for (int i = 0; i < v.rank(); i++) {
                assertEquals(v.shape().param(i), u.shape().param(i), "dim_param " + i);
            }
        }
        for (Node n : g.nodes()) {
            for (String out : n.outputs()) {
                assertEquals(g.value(out), h.value(out), "value_info of " + out);
            }
        }
        assertEquals(g.output("features"), h.output("features"));
    }

    private static void assertAttributeEquals(Attribute a, Attribute b, String what) {
        assertEquals(a.kind(), b.kind(), what);
        switch (a.kind()) {
            case INTS -> assertArrayEquals(a.asInts(), b.asInts(), what);
            case FLOATS -> assertArrayEquals(a.asFloats(), b.asFloats(), what);
            case STRINGS -> assertArrayEquals(a.asStrings(), b.asStrings(), what);
            case TENSOR -> assertTensorEquals(a.asTensor(), b.asTensor(), what);
            default -> assertEquals(a.value(), b.value(), what);
        }
    }

    private static void assertTensorEquals(Tensor a, Tensor b, String what) {
        assertEquals(a.dtype(), b.dtype(), what);
        assertEquals(a.shape(), b.shape(), what);
        assertEquals(a.bytes(), b.bytes(), what + " data");
    }

    @Test
    void writtenFileLoadsInOrtAndRunsWithTheInferredShapes() throws Exception {
        Model m = sampleModel();
        Path file = tmp.resolve("sample.onnx");
        OnnxIO.write(m, file);
        try (OrtSession s = SessionFactory.env().createSession(file.toString(), new OrtSession.SessionOptions())) {
            assertEquals(List.of("x"), List.copyOf(s.getInputNames()));
            assertEquals(List.of("features"), List.copyOf(s.getOutputNames()));
        }
        try (GraphSession s = new GraphSession(OnnxIO.read(file))) {
            Tensor out = s.run(Map.of("x", RandomNormal.tensor(new Random(1), Shape.of(2, 3, 6, 6)))).get("features");
            assertEquals(Shape.of(2, 4), out.shape());
        }
    }

    @Test
    void corruptOrInvalidFilesFailWithAClearOnnxException() throws IOException {
        byte[] good = OnnxIO.toBytes(sampleModel());
        Path truncated = tmp.resolve("truncated.onnx");
        Files.write(truncated, Arrays.copyOf(good, good.length / 2));
        Path garbage = tmp.resolve("garbage.onnx");
        byte[] noise = new byte[512];
        new Random(5).nextBytes(noise);
        Files.write(garbage, noise);
        Path text = tmp.resolve("text.onnx");
        Files.writeString(text, "this is not a model");
        Path empty = tmp.resolve("empty.onnx");
        Files.write(empty, new byte[0]);

        for (Path p : List.of(truncated, garbage, text, empty)) {
            OnnxException e = assertThrows(OnnxException.class, () -> OnnxIO.read(p), p.toString());
            assertTrue(e.getMessage().contains(p.toString()), "message names the file: " + e.getMessage());
            assertTrue(e.getMessage().contains("not a valid ONNX model"), e.getMessage());
        }
        OnnxException missing = assertThrows(OnnxException.class, () -> OnnxIO.read(tmp.resolve("missing.onnx")));
        assertTrue(missing.getMessage().contains("not found"), missing.getMessage());
    }

    @Test
    void readsATorchExportWithItsOperatorsShapesAndWeights() throws IOException {
        Model m = OnnxIO.read(TORCH_FIXTURE);
        Graph g = m.graph();
        assertEquals(17, m.opset());
        assertEquals(List.of("Conv", "Relu", "MaxPool", "Conv", "Relu", "GlobalAveragePool", "Flatten", "Gemm"),
                g.nodes().stream().map(Node::opType).toList());

        Value in = g.input("input");
        assertEquals(DType.FLOAT, in.dtype());
        assertEquals(Shape.of(-1, 3, 8, 8), in.shape());
        assertEquals("N", in.shape().param(0));
        Value out = g.output("logits");
        assertEquals(Shape.of(-1, 5), out.shape());
        assertEquals("N", out.shape().param(0));

        assertEquals(Shape.of(6, 4, 3, 3), g.initializers().get("conv2.weight").shape());
        assertEquals(Shape.of(5, 6), g.initializers().get("fc.weight").shape());
        Node firstConv = g.nodes().get(0);
        assertEquals(Shape.of(4, 3, 3, 3), g.initializers().get(firstConv.input(1)).shape());
        assertArrayEquals(new long[] {1, 1, 1, 1}, firstConv.attrInts("pads", null));
        assertArrayEquals(new long[] {2, 2}, g.nodes().get(2).attrInts("kernel_shape", null));
        assertEquals(1, g.nodes().get(7).attrInt("transB", 0));
    }

    @Test
    void torchExportRunsInOrtLikeInTorch() throws IOException {
        JsonNode ref = new ObjectMapper().readTree(TORCH_REFERENCE.toFile());
        Tensor x = Tensor.ofFloats(Shape.of(longs(ref.get("input_shape"))), floats(ref.get("input")));
        float[] expected = floats(ref.get("logits"));
        try (GraphSession s = new GraphSession(OnnxIO.read(TORCH_FIXTURE))) {
            Tensor logits = s.run(Map.of("input", x)).get("logits");
            assertEquals(Shape.of(longs(ref.get("logits_shape"))), logits.shape());
            assertArrayEquals(expected, logits.floats(), 1e-5f);
        }
    }

    private static long[] longs(JsonNode a) {
        long[] v = new long[a.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = a.get(i).asLong();
        }
        return v;
    }

    private static float[] floats(JsonNode a) {
        float[] v = new float[a.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) a.get(i).asDouble();
        }
        return v;
    }
}
