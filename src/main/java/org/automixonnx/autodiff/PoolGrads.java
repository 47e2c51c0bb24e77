package org.automixonnx.autodiff;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.automixonnx.onnx.Node;
import org.automixonnx.onnx.Ops;
import org.automixonnx.onnx.Shape;
import org.automixonnx.onnx.Tensor;
import org.automixonnx.onnx.Value;

/** Backward rules of 2-D pooling: global average, windowed average and max. */
final class PoolGrads {
    private PoolGrads() {
    }

    /** Every input element contributed 1/(H*W) to its channel's mean. */
    static void globalAveragePool(GradContext c) {
        Value x = c.input(0);
        long area = x.dim(2) * x.dim(3);
        Ops o = c.ops();
        c.setGrad(0, o.mul(o.expand(c.grad(), x.shape().dims()), 1f / area));
    }

    /**
     * AveragePool is linear: each output is (sum over its window) / count. Its adjoint divides dY by the
     * per-position count (a constant computed here) and spreads it back over the windows with a
     * depthwise ConvTranspose of an all-ones kernel.
     */
    static void averagePool(GradContext c) {
        Value x = c.input(0);
        Window2d win = poolWindow(c);
        Ops o = c.ops();
        long channels = x.dim(1);
        long h = x.dim(2);
        long w = x.dim(3);
        boolean includePad = c.node().attrInt("count_include_pad", 0) != 0;
        Value scaled = o.mul(c.grad(), o.constant(reciprocalCounts(win, h, w, includePad)));
        Value ones = o.constant(Tensor.filled(Shape.of(channels, 1, win.kh(), win.kw()), 1f));
        c.setGrad(0, o.builder().op("ConvTranspose", List.of(scaled, ones), win.transposeAttrs(h, w, channels)));
    }

    /** 1/(number of elements averaged) for every output position, as [Ho, Wo]. */
    static Tensor reciprocalCounts(Window2d win, long h, long w, boolean includePad) {
        long[] rows = windowCounts(win, 0, h, includePad);
        long[] cols = windowCounts(win, 1, w, includePad);
        float[] v = new float[rows.length * cols.length];
        for (int i = 0; i < rows.length; i++) {
            for (int j = 0; j < cols.length; j++) {
                v[i * cols.length + j] = 1f / (rows[i] * cols[j]);
            }
        }
        return Tensor.ofFloats(Shape.of(rows.length, cols.length), v);
    }

    /** How many window taps along one axis fall inside the input (or inside the padded input). */
    private static long[] windowCounts(Window2d win, int axis, long in, boolean includePad) {
        long k = axis == 0 ? win.kh() : win.kw();
        long stride = win.strides()[axis];
        long dil = win.dilations()[axis];
        long padBegin = win.pads()[axis];
        long lo = includePad ? -padBegin : 0;
        long hi = includePad ? in + win.pads()[axis + 2] : in;
        long[] counts = new long[(int) win.outSize(axis, in)];
        for (int p = 0; p < counts.length; p++) {
            for (long t = 0; t < k; t++) {
                long pos = p * stride - padBegin + t * dil;
                if (pos >= lo && pos < hi) {
                    counts[p]++;
                }
            }
        }
        return counts;
    }

    /**
     * MaxPool routes each dY element to the input element that won its window. The winners come from
     * MaxPool's Indices output (flat indices over the whole NCHW input): the forward node's own, or a
     * recomputed MaxPool when the forward did not ask for them. A ScatterElements with reduction "add"
     * accumulates the routed gradients, which matters when windows overlap.
     */
    static void maxPool(GradContext c) {
        Node n = c.node();
        Value x = c.input(0);
        if (n.attrInt("storage_order", 0) != 0) {
            throw c.fail("storage_order 1 is not supported");
        }
        poolWindow(c);
        Ops o = c.ops();
        Value indices;
        if (n.outputs().size() > 1 && !n.output(1).isEmpty()) {
            indices = c.output(1);
        } else {
            indices = o.builder().op("MaxPool", List.of(x), n.attributes(), 2).get(1);
        }
        if (!x.shape().isStatic()) {
            throw c.fail("MaxPool gradient needs a static input shape, got " + x.shape());
        }
        long total = x.shape().numel();
        Value zeros = o.builder().op("ConstantOfShape", o.builder().longs(total));
        Map<String, Object> at = new LinkedHashMap<>();
        at.put("axis", 0L);
        at.put("reduction", "add");
        Value flat = o.builder().op("ScatterElements",
                new ArrayList<>(List.of(zeros, o.reshape(indices, -1), o.reshape(c.grad(), -1))), at);
        c.setGrad(0, o.reshape(flat, x.shape()));
    }

    private static Window2d poolWindow(GradContext c) {
        if (c.input(0).rank() != 4) {
            throw c.fail("only 2-D pooling (rank-4 input) is supported, got " + c.input(0).shape());
        }
        long[] k = c.node().require("kernel_shape").asInts();
        return Window2d.of(c.node(), k[0], k[1], c);
    }
}
