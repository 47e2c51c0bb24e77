package org.automixonnx.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.automixonnx.onnx.Tensor;

/** Tensor comparison with an error bound relative to the reference's largest magnitude. */
public final class TensorAssert {
    private TensorAssert() {
    }

    /** Passes when {@code max |actual - expected| <= rel * max(|expected|)} (exact for integer tensors). */
    public static void assertClose(String what, Tensor expected, Tensor actual, double rel) {
        assertClose(what, expected, actual, rel, 0);
    }

    /**
     * As {@link #assertClose(String, Tensor, Tensor, double)} with the bound taken relative to
     * {@code max(operandScale, max |expected|)}: for a value that is a small difference of larger terms (a margin loss
     * such as {@code |mean(mask) - lam| - 0.1}), float32 rounding is relative to those terms, not to the difference.
     */
    public static void assertClose(String what, Tensor expected, Tensor actual, double rel, double operandScale) {
        assertArrayEquals(expected.shape().dims(), actual.shape().dims(), what + ": shape");
        double[] e = expected.asDoubles();
        double[] a = actual.asDoubles();
        if (expected.dtype() != org.automixonnx.onnx.DType.FLOAT) {
            assertArrayEquals(e, a, 0.0, what);
            return;
        }
        double scale = operandScale;
        double worst = 0;
        int worstAt = -1;
        for (int i = 0; i < e.length; i++) {
            scale = Math.max(scale, Math.abs(e[i]));
            double d = Math.abs(a[i] - e[i]);
            if (d > worst || Double.isNaN(d)) {
                worst = d;
                worstAt = i;
            }
        }
        if (worst > rel * scale || Double.isNaN(worst)) {
            assertEquals(e[worstAt], a[worstAt], rel * scale, what + ": element " + worstAt + " differs by " + worst
                    + " (scale " + scale + ", relative error " + worst / scale + ")");
        }
    }
}
