package org.automixonnx.graphs;

import org.automixonnx.onnx.DType;
import org.automixonnx.onnx.Shape;

/** One input or output of a step graph as described in manifest.json. */
public record GraphIo(String name, Role role, DType dtype, Shape shape) {
    /** The batch of images [N, C, H, W] every step, evaluation and saliency graph takes. */
    public static final String IMAGES = "x";
    /** The int64 class labels [N] beside {@link #IMAGES}. */
    public static final String LABELS = "y";
    /** The int64 pairing permutation [N] of a mixing graph: sample i is mixed with sample perm[i]. */
    public static final String PERMUTATION = "perm";
    /** A mixing graph's lambda: the samples' own share (the label weight of y). */
    public static final String LAMBDA = "lam";

    /** The one naming rule for state: input {@code name}, updated output {@code name.next}. */
    public static String next(String stateName) {
        return stateName + ".next";
    }

    /** The one naming rule for gradients: the loss's gradient with respect to parameter {@code p} is {@code grad.p}. */
    public static String gradient(String parameterName) {
        return "grad." + parameterName;
    }
}
