package org.automixonnx.importer;

import java.util.Optional;
import org.automixonnx.onnx.DType;
import org.automixonnx.onnx.Graph;
import org.automixonnx.onnx.Node;
import org.automixonnx.onnx.Shape;
import org.automixonnx.onnx.Tensor;

/**
 * The final linear layer of an imported classifier: the Gemm that produces the logits from pooled features
 * with constant weights (what {@code torch.onnx.export} writes for an {@code nn.Linear} head). Splitting the
 * file there gives the mixup methods pooled features and lets AutoMix train two heads over them.
 *
 * @param pooled  name of the tensor fed to the head, [N, D]
 * @param weight  initializer name of the weight
 * @param bias    initializer name of the bias, or null
 * @param transB  whether the file stores the weight as [K, D] (torch's layout) rather than [D, K]
 */
record LinearHead(String pooled, String weight, String bias, boolean transB, long classes, long features) {

    /** The head of {@code g}, if its output comes from a plain Gemm (alpha = beta = 1, A not transposed). */
    static Optional<LinearHead> find(Graph g) {
        String out = g.outputs().get(0).name();
        Node gemm = g.nodes().stream().filter(n -> n.outputs().contains(out)).findFirst().orElse(null);
        if (gemm == null || !gemm.opType().equals("Gemm") || gemm.attrInt("transA", 0) != 0
                || gemm.attrFloat("alpha", 1f) != 1f || gemm.attrFloat("beta", 1f) != 1f) {
            return Optional.empty();
        }
        Tensor w = g.initializers().get(gemm.input(1));
        String bias = gemm.inputs().size() > 2 && !gemm.input(2).isEmpty() ? gemm.input(2) : null;
        if (w == null || w.dtype() != DType.FLOAT || w.shape().rank() != 2 || g.initializers().containsKey(gemm.input(0))
                || bias != null && !g.initializers().containsKey(bias)) {
            return Optional.empty();
        }
        boolean transB = gemm.attrInt("transB", 0) != 0;
        long k = transB ? w.shape().dim(0) : w.shape().dim(1);
        long d = transB ? w.shape().dim(1) : w.shape().dim(0);
        if (bias != null && g.initializers().get(bias).shape().numel() != k) {
            return Optional.empty();
        }
        return Optional.of(new LinearHead(gemm.input(0), gemm.input(1), bias, transB, k, d));
    }

    /** The weight as [K, D] (torch layout, the toolkit's linear heads). */
    Tensor weightKD(Graph g) {
        Tensor w = g.initializers().get(weight);
        if (transB) {
            return w;
        }
        float[] src = w.floats();
        float[] dst = new float[src.length];
        for (int i = 0; i < features; i++) {
            for (int j = 0; j < classes; j++) {
                dst[(int) (j * features + i)] = src[(int) (i * classes + j)];
            }
        }
        return Tensor.ofFloats(Shape.of(classes, features), dst);
    }

    /** The bias as [K] (zeros when the file has none). */
    Tensor biasK(Graph g) {
        if (bias == null) {
            return Tensor.ofFloats(Shape.of(classes), new float[(int) classes]);
        }
        return Tensor.ofFloats(Shape.of(classes), g.initializers().get(bias).floats());
    }
}
