package org.automixonnx.onnx;

import java.util.List;
import java.util.Map;

/**
 * A group of primitive nodes that together compute one higher-level operation (e.g. training-mode
 * BatchNorm) and that autodiff differentiates as a whole with the rule registered under {@code type},
 * the way PyTorch differentiates {@code native_batch_norm} rather than its arithmetic. The forward
 * graph keeps only standard ONNX nodes; the composite is build-time metadata.
 *
 * @param type     the composite's operator name in the gradient registry
 * @param inputs   values the composite differentiates with respect to
 * @param outputs  values whose gradients the composite consumes
 * @param saved    intermediate forward values the backward rule may reuse, by role name
 * @param attributes settings of the operation (epsilon, axes, ...)
 */
public record Composite(String type, List<Value> inputs, List<Value> outputs, Map<String, Value> saved,
        Map<String, Object> attributes) {
}
