package org.automixonnx.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.automixonnx.graphs.GraphIo;
import org.automixonnx.graphs.StepGraph;
import org.automixonnx.onnx.OnnxIO;

/**
 * Writes generated graphs to a folder: one {@code <graph name>.onnx} per graph and a {@code manifest.json}
 * that gives the role, type and shape of every input and output, so that tools (and people) can tell
 * parameters from optimizer state, data and hyper-parameters.
 */
public final class GraphsService {
    public static final String MANIFEST = "manifest.json";

    /** Writes the graphs and the manifest; returns the files written. */
    public List<Path> write(List<StepGraph> graphs, Path outDir) throws IOException {
        Files.createDirectories(outDir);
        List<Path> written = new ArrayList<>();
        List<Map<String, Object>> entries = new ArrayList<>();
        for (StepGraph g : graphs) {
            Path file = outDir.resolve(g.name() + ".onnx");
            OnnxIO.write(g.model(), file);
            written.add(file);
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("name", g.name());
            e.put("file", file.getFileName().toString());
            e.put("nodes", g.model().graph().nodes().size());
            e.put("inputs", describe(g.inputs()));
            e.put("outputs", describe(g.outputs()));
            entries.add(e);
        }
        Path manifest = outDir.resolve(MANIFEST);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                .writeValue(manifest.toFile(), Map.of("graphs", entries));
        written.add(manifest);
        return written;
    }

    private static List<Map<String, Object>> describe(List<GraphIo> ios) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (GraphIo io : ios) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", io.name());
            m.put("role", io.role().name());
            m.put("dtype", io.dtype().name());
            m.put("shape", io.shape().dims());
            out.add(m);
        }
        return out;
    }
}
