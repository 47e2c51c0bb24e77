package org.automixonnx.graphs;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * manifest.json: the interface of a {@link StepGraph}, i.e. every input and output with its role, element
 * type and shape (unknown dimensions as their symbolic name, or -1), so that tools and other languages can
 * drive the graph without reading the ONNX file.
 */
public final class Manifest {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Manifest() {
    }

    public static ObjectNode toJson(StepGraph g) {
        ObjectNode root = JSON.createObjectNode();
        root.put("graph", g.name());
        root.set("inputs", describe(g.inputs()));
        root.set("outputs", describe(g.outputs()));
        return root;
    }

    public static void write(StepGraph g, Path file) throws IOException {
        JSON.writeValue(file.toFile(), toJson(g));
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
