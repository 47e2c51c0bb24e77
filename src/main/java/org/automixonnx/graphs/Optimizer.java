package org.automixonnx.graphs;

import org.automixonnx.onnx.Value;

/**
 * An optimizer as a graph emitter: given a parameter and its gradient, writes the update into the graph,
 * registering its own buffers (OPTIMIZER_STATE, zero-initialised) and hyper-parameter inputs in the
 * context. Returns the parameter's next value.
 */
public interface Optimizer {
    Value update(BuildContext ctx, StateVar param, Value grad);
}
