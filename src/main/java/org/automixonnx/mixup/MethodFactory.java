package org.automixonnx.mixup;

/** Builds a registered training method from its context: the method's constructor, or a small factory beside it. */
@FunctionalInterface
public interface MethodFactory {
    MixMethod create(MethodContext context);
}
