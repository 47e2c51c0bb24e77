package org.automixonnx.graphs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import org.automixonnx.onnx.Model;
import org.automixonnx.onnx.OnnxIO;
import org.automixonnx.runtime.LinearRegressionStep;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestWriteAllTest {
    @Test
    void writesEachGraphAndAManifestWithRoles(@TempDir Path dir) throws Exception {
        StepGraph g = LinearRegressionStep.build(1);
        List<Path> files = Manifest.writeAll(List.of(g), dir.resolve("out"));
        assertEquals(List.of(dir.resolve("out/linreg_step.onnx"), dir.resolve("out/manifest.json")), files);

        Model back = OnnxIO.read(files.get(0));
        assertEquals(g.model().graph().inputs(), back.graph().inputs());

        JsonNode graph = new ObjectMapper().readTree(files.get(1).toFile()).get("graphs").get(0);
        assertEquals("linreg_step.onnx", graph.get("file").asText());
        assertEquals(g.inputs().size(), graph.get("inputs").size());
        for (int i = 0; i < g.inputs().size(); i++) {
            JsonNode in = graph.get("inputs").get(i);
            assertEquals(g.inputs().get(i).name(), in.get("name").asText());
            assertEquals(g.inputs().get(i).role().name(), in.get("role").asText());
            assertEquals(g.inputs().get(i).dtype().name().toLowerCase(), in.get("dtype").asText());
            assertEquals(g.inputs().get(i).shape().rank(), in.get("shape").size());
        }
        for (int i = 0; i < g.outputs().size(); i++) {
            assertEquals(g.outputs().get(i).name(), graph.get("outputs").get(i).get("name").asText());
            assertEquals(g.outputs().get(i).role().name(), graph.get("outputs").get(i).get("role").asText());
        }
    }
}
