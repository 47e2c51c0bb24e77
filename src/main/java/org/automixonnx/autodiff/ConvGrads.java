package org.automixonnx.autodiff;

import java.util.Arrays;
import org.automixonnx.onnx.GraphBuilder;
import org.automixonnx.onnx.Ops;
import org.automixonnx.onnx.Shape;
import org.automixonnx.onnx.Tensor;
import org.automixonnx.onnx.Value;

/**
 * Backward rule of 2-D Conv (strides, asymmetric pads, dilations, groups, optional bias), in the
 * formulations measured as fastest on ORT CPU (ConvGradBench, OpBench):
 * <ul>
 * <li>weight: im2col columns (see {@link Im2col}) times dY as one batched MatMul per sample and group,
 * summed over the batch (depthwise convs included), the larger operand on the left; one large GEMM
 * instead when the output positions are few;</li>
 * <li>input, stride 1: a Conv of dY with the spatially flipped, in/out-swapped kernel (ConvGradBench:
 * 1.3-2x faster than ConvTranspose on a 128-channel 3x3 conv); otherwise, and when a pad exceeds the
 * dilated kernel extent, a ConvTranspose with the forward kernel;</li>
 * <li>bias: dY summed over N, H, W.</li>
 * </ul>
 */
final class ConvGrads {
    private ConvGrads() {
    }

    static void conv(GradContext c) {
        Value x = c.input(0);
        Value w = c.input(1);
        if (x.rank() != 4) {
            throw c.fail("only 2-D convolutions (rank-4 input) are supported, got " + x.shape());
        }
        long group = c.node().attrInt("group", 1);
        Window2d win = Window2d.of(c.node(), w.dim(2), w.dim(3), c);
        Ops o = c.ops();
        Value dy = c.grad();
        if (c.needsGrad(2)) {
            c.setGrad(2, o.reduceSum(dy, false, 0, 2, 3));
        }
        if (c.needsGrad(1)) {
            c.setGrad(1, weightGrad(o, x, w, dy, win, group));
        }
        if (c.needsGrad(0)) {
            c.setGrad(0, inputGrad(o, x, w, dy, win, group));
        }
    }

    /** dW[o, c, k] = sum over batch and output positions of dY[n, o, p] * columns[n, c, k, p], per group. */
    static Value weightGrad(Ops o, Value x, Value w, Value dy, Window2d win, long group) {
        long n = x.dim(0);
        long cin = x.dim(1);
        long cout = w.dim(0);
        long inPerGroup = w.dim(1);
        long outPerGroup = cout / group;
        long k = win.kh() * win.kw();
        long positions = dy.dim(2) * dy.dim(3);
        Value cols = Im2col.columns(o, x, win);
        long rows = inPerGroup * k;
        if (group == 1 && BatchGemmConv.fewPositions(cout, rows, positions)) {
            // Few output positions (deep stages): the per-sample products would write N weight-sized
            // partial sums (e.g. 100 x 512 x 4608 floats for ResNet-18's last stage). Moving the batch next
            // to the positions instead costs two transposes of small tensors and gives one large GEMM
            // dW = dY' [Cout, N*P] x cols' [Cin*k, N*P]^T. (OpBench dw: 54 ms against 92 ms at 512 channels
            // 4x4; the per-sample form stays ahead while positions outnumber channels.)
            Value dyT = o.reshape(o.transpose(o.reshape(dy, n, cout, positions), 1, 0, 2), cout, n * positions);
            Value colsT = o.reshape(o.transpose(cols, 1, 0, 2), rows, n * positions);
            return o.reshape(o.matmul(dyT, LinearGrads.swapLast(o, colsT)), w.shape());
        }
        // One batched MatMul per (sample, group), then a sum over the batch. For depthwise convs this is a
        // batch of [1, P] x [P, K] products: measured (ConvGradBench) ~3x faster than Mul + ReduceSum over
        // [N, C, K, P], which also needs a second im2col-sized buffer.
        Value dyGrouped = o.reshape(dy, n, group, outPerGroup, positions);
        Value colsGrouped = o.reshape(cols, n, group, rows, positions);
        if (group == 1 && positions > rows && rows > cout) {
            // Wide per-sample columns (many positions, e.g. ResNet's first stage): as the left factor they
            // stream through the GEMM and only the small dY^T is packed, where cols^T on the right would
            // repack the whole im2col buffer per sample. OpBench dworient: 48 against 57 ms (median) at
            // 64 channels 32x32; no gain at 128 channels 16x16, which keeps the form below.
            Value perSampleT = o.matmul(colsGrouped, LinearGrads.swapLast(o, dyGrouped));
            return o.reshape(LinearGrads.swapLast(o, o.reduceSum(perSampleT, false, 0)), w.shape());
        }
        Value perSample = o.matmul(dyGrouped, LinearGrads.swapLast(o, colsGrouped));
        return o.reshape(o.reduceSum(perSample, false, 0), w.shape());
    }

    static Value inputGrad(Ops o, Value x, Value w, Value dy, Window2d win, long group) {
        long[] flippedPads = flippedPads(win);
        GraphBuilder b = o.builder();
        if (win.unitStrides() && Arrays.stream(flippedPads).allMatch(p -> p >= 0)) {
            Value wt = flippedSwappedKernel(o, w, group);
            return o.conv(dy, wt, null, new long[] {1, 1}, flippedPads, win.dilations(), group);
        }
        return b.op("ConvTranspose", java.util.List.of(dy, w), win.transposeAttrs(x.dim(2), x.dim(3), group));
    }

    /** Pads of the stride-1 adjoint conv: dilation*(k-1) - pad on each side (negative when it cannot work). */
    static long[] flippedPads(Window2d win) {
        long[] p = win.pads();
        long[] d = win.dilations();
        long eh = d[0] * (win.kh() - 1);
        long ew = d[1] * (win.kw() - 1);
        return new long[] {eh - p[0], ew - p[1], eh - p[2], ew - p[3]};
    }

    /** W [Cout, Cin/G, kh, kw] -> W' [Cin, Cout/G, kh, kw] with W'[g, c, o, i, j] = W[g, o, c, kh-1-i, kw-1-j]. */
    static Value flippedSwappedKernel(Ops o, Value w, long group) {
        long cout = w.dim(0);
        long inPerGroup = w.dim(1);
        long kh = w.dim(2);
        long kw = w.dim(3);
        Value t = w;
        if (!(inPerGroup == 1 && cout == group)) {
            t = o.reshape(w, group, cout / group, inPerGroup, kh, kw);
            t = o.transpose(t, 0, 2, 1, 3, 4);
            t = o.reshape(t, group * inPerGroup, cout / group, kh, kw);
        }
        if (kh == 1 && kw == 1) {
            return t;
        }
        // Flipping both spatial axes reverses the kh*kw taps of each filter: a product with the exchange
        // matrix (exact: one 1 per column) is 4-5x faster on ORT CPU than a Slice with -1 steps, which
        // copies element by element (OpBench: 1.1 against 5.2 ms for a 512x512x3x3 kernel).
        long taps = kh * kw;
        float[] exchange = new float[Math.toIntExact(taps * taps)];
        for (int i = 0; i < taps; i++) {
            exchange[Math.toIntExact(i * taps + taps - 1 - i)] = 1f;
        }
        long filters = t.shape().numel() / taps;
        Value exchangeMatrix = o.constant(Tensor.ofFloats(Shape.of(taps, taps), exchange));
        return o.reshape(o.matmul(o.reshape(t, filters, taps), exchangeMatrix), t.shape());
    }
}
