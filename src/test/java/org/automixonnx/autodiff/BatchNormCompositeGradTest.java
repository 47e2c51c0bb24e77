package org.automixonnx.autodiff;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.automixonnx.onnx.Composite;
import org.automixonnx.onnx.Ops;
import org.automixonnx.onnx.Value;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The composite BatchNorm backward against finite differences, with and without the composite declared. */
class BatchNormCompositeGradTest {
    /** Training-mode BN written out (batch statistics), optionally declared as a composite. */
    static Value batchNorm(Ops o, Value x, Value gamma, Value beta, boolean declare) {
        long ch = x.dim(1);
        long[] keep = new long[x.rank()];
        java.util.Arrays.fill(keep, 1);
        keep[1] = ch;
        long[] axes = BatchNormGrads.reductionAxes(x.rank());
        Value mean = o.reduceMean(x, true, axes);
        Value xc = o.sub(x, mean);
        Value var = o.reduceMean(o.mul(xc, xc), true, axes);
        Value invstd = o.reciprocal(o.sqrt(o.add(var, 1e-5f)));
        Value scale = o.mul(invstd, o.reshape(gamma, keep));
        Value y = o.add(o.mul(xc, scale), o.reshape(beta, keep));
        if (declare) {
            o.builder().composite(new Composite("BatchNormTraining", List.of(x, gamma, beta), List.of(y),
                    Map.of("xc", xc, "invstd", invstd), Map.of()));
        }
        return y;
    }

    static Stream<GradCheck> cases() {
        return Stream.of(
                GradCheck.of("BatchNormTraining composite").randn("x", 4, 3, 5, 5).uniform("g", 0.5f, 1.5f, 3)
                        .randn("b", 3).forward((o, in) -> batchNorm(o, in.get(0), in.get(1), in.get(2), true)),
                GradCheck.of("BatchNorm written out").randn("x", 4, 3, 5, 5).uniform("g", 0.5f, 1.5f, 3)
                        .randn("b", 3).forward((o, in) -> batchNorm(o, in.get(0), in.get(1), in.get(2), false)),
                GradCheck.of("BN composite + ReLU, 2-D input").randn("x", 6, 4).uniform("g", 0.5f, 1.5f, 4)
                        .randn("b", 4).forward((o, in) -> o.relu(batchNorm(o, in.get(0), in.get(1), in.get(2), true))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesFiniteDifferences(GradCheck check) {
        check.run();
    }

    @Test
    void compositeEmitsFewerBackwardNodes() {
        int composite = backwardNodeCount(true);
        int plain = backwardNodeCount(false);
        assertTrue(composite < plain, "composite backward " + composite + " nodes, written out " + plain);
    }

    private static int backwardNodeCount(boolean declare) {
        org.automixonnx.onnx.GraphBuilder b = new org.automixonnx.onnx.GraphBuilder("bn");
        Ops o = new Ops(b);
        Value x = b.input("x", org.automixonnx.onnx.DType.FLOAT, org.automixonnx.onnx.Shape.of(2, 3, 4, 4));
        Value g = b.input("g", org.automixonnx.onnx.DType.FLOAT, org.automixonnx.onnx.Shape.of(3));
        Value be = b.input("b", org.automixonnx.onnx.DType.FLOAT, org.automixonnx.onnx.Shape.of(3));
        Value loss = o.reduceSumAll(o.mul(batchNorm(o, x, g, be, declare), x));
        int before = b.nodes().size();
        new Differentiator(b).gradients(loss, List.of(x, g, be));
        return b.nodes().size() - before;
    }
}
