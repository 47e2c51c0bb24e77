package org.automixonnx.onnx;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** A graph plus the model-level facts ONNX stores with it: opset and metadata properties. */
public record Model(Graph graph, int opset, Map<String, String> metadata) {
    /** The one default-domain opset every graph automix-onnx writes uses (ORT 1.29 runs it on CPU and CUDA). */
    public static final int OPSET = 17;
    /** IR version matching {@link #OPSET}. */
    public static final int IR_VERSION = 8;

    public Model {
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }

    public Model(Graph graph) {
        this(graph, OPSET, Map.of());
    }

    public Model withMetadata(Map<String, String> extra) {
        Map<String, String> m = new LinkedHashMap<>(metadata);
        m.putAll(extra);
        return new Model(graph, opset, m);
    }
}
