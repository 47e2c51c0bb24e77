package org.automixonnx.graphs;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.automixonnx.onnx.OnnxIO;

/**
 * manifest.json: the interface of a set of {@link StepGraph}s, i.e. for every graph its file and every
 * input and output with its role, element type and shape (unknown dimensions as their symbolic name, or
 * -1), so that tools and other languages can drive the graphs without reading the ONNX files. A split step's
 * gradient graph is followed by its optimizer graph ({@link StepGraph#runs()}).
 */
public final class Manifest {
    public static final String FILE = "manifest.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Manifest() {
    }

    /** The description of one graph. */
    public static ObjectNode toJson(StepGraph g) {
        ObjectNode root = JSON.createObjectNode();
        root.put("name", g.name());
        root.put("file", fileName(g));
        root.put("nodes", g.model().graph().nodes().size());
        root.set("inputs", describe(g.inputs()));
        root.set("outputs", describe(g.outputs()));
        return root;
    }

    /** {@code {"graphs": [...]}} for a set of graphs. */
    public static ObjectNode toJson(List<StepGraph> graphs) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode arr = root.putArray("graphs");
        runs(graphs).forEach(g -> arr.add(toJson(g)));
        return root;
    }

    public static String fileName(StepGraph g) {
        return g.name() + ".onnx";
    }

    /** Writes {@code <name>.onnx} for every graph and the manifest into {@code dir}; returns the files written. */
    public static List<Path> writeAll(List<StepGraph> graphs, Path dir) throws IOException {
        Files.createDirectories(dir);
        List<Path> written = new ArrayList<>();
        for (StepGraph g : runs(graphs)) {
            Path file = dir.resolve(fileName(g));
            OnnxIO.write(g.model(), file);
            written.add(file);
        }
        Path manifest = dir.resolve(FILE);
        JSON.writeValue(manifest.toFile(), toJson(graphs));
        written.add(manifest);
        return written;
    }

    private static List<StepGraph> runs(List<StepGraph> graphs) {
        return graphs.stream().flatMap(g -> g.runs().stream()).toList();
    }

    private static ArrayNode describe(List<GraphIo> ios) {
        ArrayNode arr = JSON.createArrayNode();
        for (GraphIo io : ios) {
            ObjectNode n = arr.addObject();
            n.put("name", io.name());
            n.put("role", io.role().name());
            n.put("dtype", io.dtype().name().toLowerCase());
            ArrayNode shape = n.putArray("shape");
            for (int i = 0; i < io.shape().rank(); i++) {
                long d = io.shape().dim(i);
                String param = io.shape().param(i);
                if (d < 0 && param != null) {
                    shape.add(param);
                } else {
                    shape.add(d);
                }
            }
        }
        return arr;
    }
}
