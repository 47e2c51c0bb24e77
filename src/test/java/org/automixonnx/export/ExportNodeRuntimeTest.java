package org.automixonnx.export;

import static org.automixonnx.testing.TensorAssert.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.automixonnx.graphs.EvalGraph;
import org.automixonnx.models.ImageClassifier;
import org.automixonnx.models.ModelZoo;
import org.automixonnx.onnx.Shape;
import org.automixonnx.onnx.Tensor;
import org.automixonnx.runtime.GraphSession;
import org.automixonnx.testing.TrainedState;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The exported model runs in another ONNX Runtime app: onnxruntime-node (tools/node, installed by
 * {@code npm ci} in .ci/run) gives the same logits and probabilities as ORT Java. Skipped when node or the
 * package is missing.
 */
class ExportNodeRuntimeTest {
    static final Path NODE_DIR = Path.of("tools/node");
    static final int SIZE = 16;

    @TempDir
    Path dir;

    @BeforeAll
    static void nodeAndPackagePresent() {
        assumeTrue(Files.isDirectory(NODE_DIR.resolve("node_modules/onnxruntime-node")),
                "onnxruntime-node is not installed (run npm ci in tools/node)");
        try {
            Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            assumeTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, "node does not run");
        } catch (IOException | InterruptedException e) {
            assumeTrue(false, "node is not on PATH");
        }
    }

    @ParameterizedTest
    @CsvSource({"resnet18-cifar-w0.0625, false", "mobilenetv2-w0.1, true", "deit-t-d2-p4-w0.25, false"})
    void nodeRuntimeGivesTheSameOutputsAsJava(String arch, boolean foldBn) throws Exception {
        ImageClassifier net = ModelZoo.create(arch, 3, 5);
        Map<String, Tensor> state = TrainedState.randomise(new EvalGraph(net, 3, SIZE, SIZE).build().initialState(), 8);
        Path model = dir.resolve("model.onnx");
        new ExportService().write(net, state, ExportOptions.defaults(arch).withSoftmax(true).withFoldBn(foldBn), model,
                3, SIZE, SIZE);
        Tensor x = ExportServiceTest.images(3, 2);
        Path input = dir.resolve("input.f32");
        byte[] raw = new byte[(int) x.numel() * 4];
        x.bytes().get(raw);
        Files.write(input, raw);

        Process p = new ProcessBuilder("node", "run_model.js", model.toAbsolutePath().toString(),
                input.toAbsolutePath().toString(), "3", "3", "" + SIZE, "" + SIZE).directory(NODE_DIR.toFile())
                .redirectError(dir.resolve("node.err").toFile()).start();
        String stdout = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(true, p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), Files.readString(dir.resolve("node.err")));
        JsonNode outputs = new ObjectMapper().readTree(stdout).get("outputs");

        Map<String, Tensor> java;
        try (GraphSession s = new GraphSession(org.automixonnx.onnx.OnnxIO.read(model))) {
            java = s.run(Map.of("input", x));
        }
        for (String name : new String[] {"logits", "probabilities"}) {
            JsonNode o = outputs.get(name);
            long[] dims = new long[o.get("dims").size()];
            for (int i = 0; i < dims.length; i++) {
                dims[i] = o.get("dims").get(i).asLong();
            }
            assertArrayEquals(new long[] {3, 5}, dims, name);
            float[] v = new float[o.get("data").size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) o.get("data").get(i).asDouble();
            }
            assertClose(arch + " " + name + " node vs java", java.get(name), Tensor.ofFloats(Shape.of(dims), v), 1e-5);
        }
    }
}
