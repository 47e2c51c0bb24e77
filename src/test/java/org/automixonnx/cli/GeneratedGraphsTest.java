package org.automixonnx.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.automixonnx.graphs.Manifest;
import org.automixonnx.graphs.StepGraph;
import org.automixonnx.importer.ModelRef;
import org.automixonnx.onnx.proto.OnnxProto.ModelProto;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The repository's graphs/ folder must hold exactly what the generator writes today (see graphs/README.md
 * for the commands that regenerate it).
 */
class GeneratedGraphsTest {
    static final Path ROOT = Path.of("graphs");

    @Test
    void resnet18CifarGraphsMatchTheGenerator(@TempDir Path tmp) throws IOException {
        assertSameAsGenerated("resnet18-cifar", new ModelSpec(ModelRef.zoo("resnet18-cifar"), 100, 10, 3, 32), tmp);
    }

    static void assertSameAsGenerated(String folder, ModelSpec spec, Path tmp) throws IOException {
        List<StepGraph> graphs = ModelCatalog.graphs(spec);
        Manifest.writeAll(graphs, tmp);
        Path committed = ROOT.resolve(folder);
        String hint = " differs from the generator: regenerate graphs/" + folder + " (see graphs/README.md)";
        assertEquals(Files.readString(tmp.resolve(Manifest.FILE)), Files.readString(committed.resolve(Manifest.FILE)),
                "manifest.json" + hint);
        for (StepGraph g : graphs) {
            Path file = committed.resolve(Manifest.fileName(g));
            assertTrue(Files.isRegularFile(file), file + " is missing:" + hint);
            // The producer version depends on how the tool was launched (jar or classes), not on the graph.
            assertEquals(withoutVersion(tmp.resolve(Manifest.fileName(g))), withoutVersion(file),
                    Manifest.fileName(g) + hint);
        }
    }

    private static ModelProto withoutVersion(Path file) throws IOException {
        return ModelProto.parseFrom(Files.readAllBytes(file)).toBuilder().clearProducerVersion().build();
    }
}
