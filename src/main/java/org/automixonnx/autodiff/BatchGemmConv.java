package org.automixonnx.autodiff;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.automixonnx.onnx.Composite;
import org.automixonnx.onnx.Ops;
import org.automixonnx.onnx.Value;

/**
 * The forward formulation of a training graph's Conv where ORT's own Conv is slow to differentiate around:
 * convolutions with few output positions and many channels (ResNet-18's 8x8 and 4x4 stages).
 *
 * <p>For those shapes ORT's CPU Conv runs one small GEMM per image, each its own parallel section of the
 * thread pool (100 sections per conv at batch 100), and on the shared 2-core machines about half of the runs
 * of such a conv take twice as long (bench --profile: 50 against 100-125 ms for a 256-channel 8x8 conv,
 * while one-section ops beside it stay steady). Written as im2col columns moved next to the batch and one
 * GEMM {@code Y' [Cout, N*P] = W [Cout, Cin*k] x cols' [Cin*k, N*P]}, the conv is one large GEMM, and so
 * are its gradients (the composite's rule, {@link #backward}): the weight gradient {@code dY' x cols'^T}
 * reuses the forward's columns (ConvGrads builds the same product from scratch for a plain Conv), the input
 * gradient of a stride-1 conv is the adjoint conv in the same form (im2col of dY, one GEMM with the flipped
 * kernel). Differentiating the lowered forward op by op instead costs a col2im (a grouped Conv over 9C
 * channels) measured as slow as the GEMM itself. Strided convs into a few-position stage (ResNet-18's
 * stride-2 convs into the 8x8 and 4x4 stages and their 1x1 shortcuts) are lowered too, for the forward GEMM
 * and the shared columns (bench --profile: 40 -> 32 ms forward for the 128 -> 256 channel conv, and the weight
 * gradient's own im2col gone); their input gradient stays ORT's ConvTranspose. Wide stride-1 3x3 convs go to
 * the Winograd form ({@code graphs.WinogradConv}) instead, which is faster still (Layers.conv2d decides), so in
 * ResNet-18 this form computes the strided convs and 1x1 shortcuts into the 8x8 and 4x4 stages.
 */
public final class BatchGemmConv {
    /** The gradient registry's name for the composite. */
    public static final String COMPOSITE = "BatchGemmConv";

    private BatchGemmConv() {
    }

    /**
     * Whether one GEMM over the batch beats per-image products for a group-1 conv: the per-image form would
     * write N weight-sized partial products for the weight gradient (Cout * rows each) against the
     * transposes of the columns and of dY (positions * (Cout + rows) each).
     */
    static boolean fewPositions(long cout, long rows, long positions) {
        return cout * rows > positions * (cout + rows);
    }

    /** Whether training graphs use {@link #conv2d} for this square-kernel conv of {@code x} to {@code cout}. */
    public static boolean applies(Value x, long cout, long kernel, int stride, int pad, int groups) {
        if (groups != 1 || x.rank() != 4 || !x.shape().isStatic()) {
            return false;
        }
        Window2d win = window(kernel, stride, pad);
        long positions = win.outSize(0, x.dim(2)) * win.outSize(1, x.dim(3));
        return fewPositions(cout, x.dim(1) * kernel * kernel, positions);
    }

    /**
     * Square-kernel, group-1 2-D convolution without bias as im2col + one GEMM (a composite, so that autodiff
     * uses {@link #backward}); the result equals {@code Conv(x, w, strides=stride, pads=pad)} up to float
     * summation order.
     */
    public static Value conv2d(Ops o, Value x, Value w, int stride, int pad) {
        Value[] yAndColumns = product(o, x, w, stride, pad);
        o.builder().composite(new Composite(COMPOSITE, List.of(x, w), List.of(yAndColumns[0]),
                Map.of("columns", yAndColumns[1]), Map.of("stride", (long) stride, "pad", (long) pad)));
        return yAndColumns[0];
    }

    /**
     * dW = dY' x cols'^T with the forward's columns; dX = the stride-1 adjoint conv (flipped, in/out-swapped
     * kernel) in the same one-GEMM form, or ConvGrads' ConvTranspose for strided convs and when the pad
     * exceeds the kernel.
     */
    static void backward(GradContext c) {
        Ops o = c.ops();
        Value x = c.input(0);
        Value w = c.input(1);
        Value dy = c.grad();
        long cout = w.dim(0);
        if (c.needsGrad(1)) {
            Value dyBatch = o.reshape(o.transpose(dy, 1, 0, 2, 3), cout, dy.shape().numel() / cout);
            Value columns = c.saved("columns");
            c.setGrad(1, o.reshape(o.matmul(dyBatch, LinearGrads.swapLast(o, columns)), w.shape()));
        }
        if (c.needsGrad(0)) {
            Window2d win = window(w.dim(2), (int) c.node().attrInt("stride", 1), (int) c.node().attrInt("pad", 0));
            long[] adjointPads = ConvGrads.flippedPads(win);
            boolean symmetric = Arrays.stream(adjointPads).allMatch(p -> p == adjointPads[0]);
            c.setGrad(0, win.unitStrides() && symmetric && adjointPads[0] >= 0
                    ? product(o, dy, ConvGrads.flippedSwappedKernel(o, w, 1), 1, (int) adjointPads[0])[0]
                    : ConvGrads.inputGrad(o, x, w, dy, win, 1));
        }
    }

    /** {y, cols'}: the conv of x with w as one GEMM, and the batch-major columns it multiplied. */
    private static Value[] product(Ops o, Value x, Value w, int stride, int pad) {
        long n = x.dim(0);
        long cout = w.dim(0);
        long rows = w.dim(1) * w.dim(2) * w.dim(3);
        Window2d win = window(w.dim(2), stride, pad);
        long ho = win.outSize(0, x.dim(2));
        long wo = win.outSize(1, x.dim(3));
        Value cols = Im2col.columns(o, x, win);
        Value batchColumns = o.reshape(o.transpose(cols, 1, 0, 2), rows, n * ho * wo);
        Value y = o.matmul(o.reshape(w, cout, rows), batchColumns);
        return new Value[] {o.transpose(o.reshape(y, cout, n, ho, wo), 1, 0, 2, 3), batchColumns};
    }

    private static Window2d window(long kernel, int stride, int pad) {
        return new Window2d(kernel, kernel, new long[] {stride, stride}, new long[] {pad, pad, pad, pad},
                new long[] {1, 1});
    }
}
