package org.automixonnx.autodiff;

/**
 * The backward rule of one operator type: given the gradients of a node's outputs, emit standard ONNX
 * nodes computing the gradients of those inputs that need one ({@link GradContext#needsGrad}).
 */
@FunctionalInterface
public interface GradientRule {
    void backward(GradContext c);
}
