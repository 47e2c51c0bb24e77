package org.automixonnx.graphs;

import org.automixonnx.onnx.DType;
import org.automixonnx.onnx.Shape;

/** One input or output of a step graph as described in manifest.json. */
public record GraphIo(String name, Role role, DType dtype, Shape shape) {
    /** The one naming rule for state: input {@code name}, updated output {@code name.next}. */
    public static String next(String stateName) {
        return stateName + ".next";
    }
}
