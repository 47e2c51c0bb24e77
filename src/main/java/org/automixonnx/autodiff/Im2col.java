package org.automixonnx.autodiff;

import java.util.List;
import org.automixonnx.onnx.GraphBuilder;
import org.automixonnx.onnx.Ops;
import org.automixonnx.onnx.Shape;
import org.automixonnx.onnx.Tensor;
import org.automixonnx.onnx.Value;

/**
 * im2col in standard ONNX ops. The window taps are extracted by a depthwise Conv whose constant one-hot
 * kernels each pick one tap, so ORT's own convolution code handles strides, pads and dilations. Layout: channel-major, then tap
 * (row-major within the kh x kw window), so a Conv weight [Cout, Cin, kh, kw] reshaped to
 * [Cout, Cin*kh*kw] lines up with the columns.
 */
final class Im2col {
    private Im2col() {
    }

    /** [N, C, H, W] -> [N, C*kh*kw, Ho, Wo]: tap t of channel c at every output position (pads read as 0). */
    static Value windows(Ops o, Value x, Window2d win) {
        Value oneHot = sharedOneHotTaps(o.builder(), x.dim(1), win.kh(), win.kw());
        return o.builder().op("Conv", List.of(x, oneHot), win.convAttrs(x.dim(1)));
    }

    /**
     * {@link #windows} as [N, C*kh*kw, Ho*Wo]. An unpadded 1x1 window needs no im2col: it is x itself
     * (unit stride) or a strided Slice of x (e.g. a ResNet downsampling shortcut).
     */
    static Value columns(Ops o, Value x, Window2d win) {
        long n = x.dim(0);
        long c = x.dim(1);
        Value cols;
        if (win.kh() * win.kw() == 1 && win.noPadding()) {
            cols = win.unitStrides() ? x
                    : o.slice(x, new long[] {0, 0}, new long[] {Long.MAX_VALUE, Long.MAX_VALUE}, new long[] {2, 3},
                            win.strides());
        } else {
            cols = windows(o, x, win);
        }
        return o.reshape(cols, n, c * win.kh() * win.kw(), cols.dim(2) * cols.dim(3));
    }

    /** One initializer per (channels, kernel size) in a graph: every conv of that shape reuses it. */
    private static Value sharedOneHotTaps(GraphBuilder b, long c, long kh, long kw) {
        String name = "im2col.onehot." + c + "x" + kh + "x" + kw;
        return b.hasValue(name) ? b.value(name) : b.initializer(name, oneHotTaps(c, kh, kw));
    }

    /** Kernel [c*kh*kw, 1, kh, kw]: output channel ch*kh*kw + t copies tap t of input channel ch. */
    static Tensor oneHotTaps(long c, long kh, long kw) {
        int k = (int) (kh * kw);
        float[] v = new float[(int) c * k * k];
        for (int ch = 0; ch < c; ch++) {
            for (int t = 0; t < k; t++) {
                v[(ch * k + t) * k + t] = 1f;
            }
        }
        return Tensor.ofFloats(Shape.of(c * k, 1, kh, kw), v);
    }
}
