package org.automixonnx.autodiff;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BiFunction;
import org.automixonnx.onnx.DType;
import org.automixonnx.onnx.GraphBuilder;
import org.automixonnx.onnx.Ops;
import org.automixonnx.onnx.Shape;
import org.automixonnx.onnx.Tensor;
import org.automixonnx.onnx.Value;
import org.automixonnx.runtime.GraphSession;
import org.automixonnx.testing.RandomNormal;

/**
 * Checks a training graph's form of a conv against ORT's own Conv: the output, and the input and weight
 * gradients of a random weighting of it (each differentiated by the registry), to 1e-5 of the largest value.
 */
final class DirectConvCheck {
    private DirectConvCheck() {
    }

    /** @param form builds the conv of inputs (x, w) in the form under test */
    static void assertMatches(long[] xShape, long[] wShape, int stride, int pad,
            BiFunction<Ops, List<Value>, Value> form) {
        assertMatches(xShape, wShape, stride, pad, 1, form);
    }

    /** As above, for a grouped conv ({@code groups} = input channels: depthwise). */
    static void assertMatches(long[] xShape, long[] wShape, int stride, int pad, int groups,
            BiFunction<Ops, List<Value>, Value> form) {
        GraphBuilder b = new GraphBuilder("form_vs_conv");
        Ops o = new Ops(b);
        Value x = b.input("x", DType.FLOAT, Shape.of(xShape));
        Value w = b.input("w", DType.FLOAT, Shape.of(wShape));
        Value formed = form.apply(o, List.of(x, w));
        Value conv = o.conv2d(x, w, null, stride, pad, 1, groups);
        assertEquals(conv.shape(), formed.shape(), "output shape");
        Random r = new Random(3);
        Value weights = b.constant(RandomNormal.tensor(r, conv.shape()));
        Map<Value, Value> gForm = new Differentiator(b).gradients(o.reduceSumAll(o.mul(formed, weights)),
                List.of(x, w));
        Map<Value, Value> gConv = new Differentiator(b).gradients(o.reduceSumAll(o.mul(conv, weights)),
                List.of(x, w));
        b.output(formed, "y_form");
        b.output(conv, "y_conv");
        b.output(gForm.get(x), "dx_form");
        b.output(gConv.get(x), "dx_conv");
        b.output(gForm.get(w), "dw_form");
        b.output(gConv.get(w), "dw_conv");
        Map<String, Tensor> out;
        try (GraphSession session = new GraphSession(b.buildModel())) {
            out = session.run(Map.of("x", RandomNormal.tensor(r, x.shape()), "w",
                    RandomNormal.tensor(r, w.shape())));
        }
        for (String v : List.of("y", "dx", "dw")) {
            float[] a = out.get(v + "_form").floats();
            float[] e = out.get(v + "_conv").floats();
            assertEquals(e.length, a.length, v);
            double scale = 0;
            for (float f : e) {
                scale = Math.max(scale, Math.abs(f));
            }
            for (int i = 0; i < e.length; i++) {
                assertEquals(e[i], a[i], 1e-5 * scale, v + "[" + i + "]");
            }
        }
    }
}
