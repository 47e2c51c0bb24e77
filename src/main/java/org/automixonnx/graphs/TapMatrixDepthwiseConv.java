package org.automixonnx.graphs;

import org.automixonnx.onnx.Ops;
import org.automixonnx.onnx.Shape;
import org.automixonnx.onnx.Tensor;
import org.automixonnx.onnx.Value;

/**
 * A depthwise convolution (one filter per channel) on a small map, written as one product with a constant 0/1
 * tap matrix and a weighted sum over the taps: {@code Z = X [N*C, Pin] x S [Pin, Pout*K]} gathers, for every output
 * position and kernel tap, the input pixel the tap reads there (padding and stride are in S: a tap on the padding
 * reads nothing), then {@code y[n, c, p] = sum_t Z[n, c, p, t] w[c, t]}, the taps last so that the sum runs over
 * contiguous values (over a middle axis, ORT's ReduceSum took 2.8 ms for a [100, 480, 9, 1] map). The gradients come from the standard
 * MatMul, Mul and ReduceSum rules: the weight gradient is a Mul and a sum over the batch and the positions, the input
 * gradient one product with S^T.
 *
 * <p>Training graphs use it for depthwise convs with few output positions per image (MobileNetV2's last stages at
 * 28-32 px: 1x1 and 2x2 maps of 192-480 channels). ORT's CPU Conv runs a depthwise conv as one tiny GEMM per
 * (image, channel) pair, and so do the generic gradients (a grouped one-hot im2col and a batched MatMul of N*C
 * [1, P] x [P, K] products): for a [100, 480, 1, 1] map, bench --profile gave 3.2 ms for the forward conv, 7.8 ms
 * for the im2col and 18 ms for the weight-gradient product, for 0.4 M multiply-adds. Here each op is one pass over
 * N*C*K*Pout elements, which grows with the map: the MobileNetV2-w0.5 step at 32 px took 0.16 s with its 1x1 and
 * 2x2 maps in this form, 0.23 s with the 4x4 maps too (hence {@link #MAX_POSITIONS}), 0.27 s with none. The first
 * form tried, a strided Slice of the padded input per tap, lost its gain in the gradient: ORT ran the Slices'
 * gradients (Pads of maps 2-4 pixels wide) at 1.7-2 ms each.
 */
public final class TapMatrixDepthwiseConv {
    /** The most output positions per image (Ho * Wo) for which training graphs use this form. */
    static final long MAX_POSITIONS = 4;

    private TapMatrixDepthwiseConv() {
    }

    /** Whether training graphs use {@link #conv2d} for a square-kernel conv of x to {@code cout} channels. */
    public static boolean applies(Value x, long cout, long kernel, int stride, int pad, int groups) {
        if (x.rank() != 4 || !x.shape().isStatic() || groups != x.dim(1) || cout != groups) {
            return false;
        }
        return outSize(x.dim(2), kernel, stride, pad) * outSize(x.dim(3), kernel, stride, pad) <= MAX_POSITIONS;
    }

    /**
     * {@code Conv(x, w, group=C, strides=stride, pads=pad)} for x [N, C, H, W] and w [C, 1, k, k], up to float
     * summation order.
     */
    public static Value conv2d(Ops o, Value x, Value w, int stride, int pad) {
        long n = x.dim(0);
        long c = x.dim(1);
        long h = x.dim(2);
        long wd = x.dim(3);
        long k = w.dim(2);
        long ho = outSize(h, k, stride, pad);
        long wo = outSize(wd, k, stride, pad);
        long taps = k * k;
        Tensor tapMatrix = tapMatrix(h, wd, k, stride, pad, ho, wo);
        Value gathered = o.matmul(o.reshape(x, n * c, h * wd), o.constant(tapMatrix));
        Value weighted = o.mul(o.reshape(gathered, n, c, ho * wo, taps), o.reshape(w, 1, c, 1, taps));
        return o.reshape(o.reduceSum(weighted, false, 3), n, c, ho, wo);
    }

    /** S [H*W, Ho*Wo*K]: S[in, out*K + t] = 1 where kernel tap t reads input pixel {@code in} for output {@code out}. */
    private static Tensor tapMatrix(long h, long wd, long k, int stride, int pad, long ho, long wo) {
        long taps = k * k;
        long columns = ho * wo * taps;
        float[] s = new float[Math.toIntExact(h * wd * columns)];
        for (long i = 0; i < k; i++) {
            for (long j = 0; j < k; j++) {
                long tap = i * k + j;
                for (long r = 0; r < ho; r++) {
                    for (long q = 0; q < wo; q++) {
                        long row = r * stride + i - pad;
                        long col = q * stride + j - pad;
                        if (row >= 0 && row < h && col >= 0 && col < wd) {
                            s[Math.toIntExact((row * wd + col) * columns + (r * wo + q) * taps + tap)] = 1f;
                        }
                    }
                }
            }
        }
        return Tensor.ofFloats(Shape.of(h * wd, columns), s);
    }

    private static long outSize(long size, long kernel, int stride, int pad) {
        return (size + 2L * pad - kernel) / stride + 1;
    }
}
