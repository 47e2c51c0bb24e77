package org.automixonnx.graphs;

import org.automixonnx.autodiff.GradCheck;
import org.automixonnx.onnx.Shape;
import org.automixonnx.onnx.Tensor;
import org.junit.jupiter.api.Test;

/** The losses are differentiable by our autodiff: finite-difference checks of their gradients. */
class LossGradTest {
    @Test
    void hardLabelCrossEntropy() {
        GradCheck.of("CE hard labels").randn("logits", 4, 5)
                .input("labels", Tensor.ofLongs(Shape.of(4), new long[] {0, 4, 2, 2}))
                .forward((o, x) -> Losses.crossEntropy(o, x.get(0), x.get(1))).run();
    }

    @Test
    void softTargetCrossEntropy() {
        GradCheck.of("CE soft targets").randn("logits", 3, 6).uniform("targets", 0f, 1f, 3, 6)
                .forward((o, x) -> Losses.softCrossEntropy(o, x.get(0), x.get(1))).run();
    }
}
