package org.automixonnx.autodiff;

import java.util.Map;
import java.util.LinkedHashMap;
import org.automixonnx.onnx.Node;

/**
 * The sliding-window geometry of a 2-D Conv or pooling node (kernel, strides, ONNX pads
 * {@code [top, left, bottom, right]}, dilations) and the sizes it implies. Conv and pool gradient
 * rules share it so that the output-size and transposed-window arithmetic lives in one place.
 */
record Window2d(long kh, long kw, long[] strides, long[] pads, long[] dilations) {

    /** Reads strides, pads and dilations of {@code n} (ONNX defaults: 1, 0, 1); rejects auto_pad. */
    static Window2d of(Node n, long kh, long kw, GradContext c) {
        String autoPad = n.attrString("auto_pad", "NOTSET");
        if (!autoPad.equals("NOTSET")) {
            throw c.fail("auto_pad " + autoPad + " is not supported; give explicit pads");
        }
        if (n.attrInt("ceil_mode", 0) != 0) {
            throw c.fail("ceil_mode 1 is not supported");
        }
        long[] s = n.attrInts("strides", new long[] {1, 1});
        long[] p = n.attrInts("pads", new long[] {0, 0, 0, 0});
        long[] d = n.attrInts("dilations", new long[] {1, 1});
        if (s.length != 2 || p.length != 4 || d.length != 2) {
            throw c.fail("only 2-D windows are supported");
        }
        return new Window2d(kh, kw, s, p, d);
    }

    long[] kernel() {
        return new long[] {kh, kw};
    }

    boolean unitStrides() {
        return strides[0] == 1 && strides[1] == 1;
    }

    boolean noPadding() {
        return pads[0] == 0 && pads[1] == 0 && pads[2] == 0 && pads[3] == 0;
    }

    /** Output size along spatial axis {@code axis} (0 = H, 1 = W) for an input of size {@code in}. */
    long outSize(int axis, long in) {
        long k = axis == 0 ? kh : kw;
        return Math.floorDiv(in + pads[axis] + pads[axis + 2] - dilations[axis] * (k - 1) - 1, strides[axis]) + 1;
    }

    /**
     * The ConvTranspose output_padding that makes the transposed window map an output of
     * {@code outSize(axis, in)} back to exactly {@code in}: the input rows the forward window never
     * reached when (in + pads - dilated kernel) is not a multiple of the stride.
     */
    long outputPadding(int axis, long in) {
        long k = axis == 0 ? kh : kw;
        return Math.floorMod(in + pads[axis] + pads[axis + 2] - dilations[axis] * (k - 1) - 1, strides[axis]);
    }

    /** Attributes of a ConvTranspose that is the adjoint of this window for an input of {@code h x w}. */
    Map<String, Object> transposeAttrs(long h, long w, long group) {
        Map<String, Object> at = new LinkedHashMap<>();
        at.put("kernel_shape", kernel());
        at.put("strides", strides);
        at.put("pads", pads);
        at.put("dilations", dilations);
        at.put("group", group);
        at.put("output_padding", new long[] {outputPadding(0, h), outputPadding(1, w)});
        return at;
    }

    /** Attributes of a Conv with this window (for the im2col convolution). */
    Map<String, Object> convAttrs(long group) {
        Map<String, Object> at = new LinkedHashMap<>();
        at.put("kernel_shape", kernel());
        at.put("strides", strides);
        at.put("pads", pads);
        at.put("dilations", dilations);
        at.put("group", group);
        return at;
    }
}
