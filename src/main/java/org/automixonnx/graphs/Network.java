package org.automixonnx.graphs;

import org.automixonnx.onnx.Value;

/** A classifier that can write its forward pass into a graph: images [N, C, H, W] -> logits [N, K]. */
@FunctionalInterface
public interface Network {
    Value forward(BuildContext ctx, Value x);
}
