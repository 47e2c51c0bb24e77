package org.automixonnx.graphs;

import org.automixonnx.onnx.GraphBuilder;
import org.automixonnx.onnx.Ops;
import org.automixonnx.onnx.Shape;
import org.automixonnx.onnx.Tensor;
import org.automixonnx.onnx.Value;

/**
 * A stride-1, pad-1 3x3 convolution as Winograd's minimal filtering F(2x2, 3x3) (Lavin and Gray, 2016), in
 * MatMul, Transpose, Reshape and Flatten only: 16 channel products of 1/2.25 the multiply-adds of the direct conv.
 *
 * <p>Each 2x2 output tile is {@code A^T [(G g G^T) . (B^T d B)] A} for its 4x4 input tile d. The tile
 * transforms are separable, so they are applied one spatial axis at a time as small constant matrices, with
 * the image in [H, W, N*C] layout so that every product is a plain (broadcast) MatMul and the 16 transformed
 * planes come out as [16, tiles*N, C] without a transpose of the big intermediate: one GEMM batch of 16
 * {@code [tiles*N, Cin] x [Cin, Cout]}. The padding is folded into the transform matrices (taps that fall
 * on the pad are left out). Being standard ops with their own gradient rules, the formulation needs no rule
 * of its own: the input gradient is the same pipeline transposed and the weight gradient a GEMM batch over the
 * transformed planes, each again 1/2.25 of the direct form.
 */
public final class WinogradConv {
    /** B^T of F(2, 3): input tile (4 taps) to the transformed domain. */
    private static final float[][] BT = {{1, 0, -1, 0}, {0, 1, 1, 0}, {0, -1, 1, 0}, {0, 1, 0, -1}};
    /** G of F(2, 3): kernel (3 taps) to the transformed domain. */
    private static final float[][] G = {{1, 0, 0}, {0.5f, 0.5f, 0.5f}, {0.5f, -0.5f, 0.5f}, {0, 0, 1}};
    /** A^T of F(2, 3): transformed domain to the output tile (2 taps). */
    private static final float[][] AT = {{1, 1, 1, 0}, {0, 1, -1, -1}};

    /** The builder scope of a Winograd conv's nodes ({@code layer3.0.conv1.winograd/MatMul}). */
    public static final String SCOPE = "winograd";

    private WinogradConv() {
    }

    /**
     * The fewest input and output channels for which training graphs use {@link #conv2d}. The 16 transformed
     * planes hold 4x the activation and each GEMM reads them with only Cin (or Cout) multiply-adds per element,
     * so thin layers run memory-bound (OpBench winograd, forward + both gradients at batch 100: 64 channels at
     * 32x32 226 ms against ORT's Conv 150; 128 at 16x16 120 against 140; 256 at 8x8 84 against 160; 512 at
     * 4x4 70 against 150).
     */
    static final long MIN_CHANNELS = 128;

    /** Whether {@link #conv2d} computes this conv: 3x3, stride 1, pad 1, group 1, even static spatial size. */
    public static boolean computes(Value x, long kernel, int stride, int pad, int groups) {
        return kernel == 3 && stride == 1 && pad == 1 && groups == 1 && x.rank() == 4 && x.shape().isStatic()
                && x.dim(2) % 2 == 0 && x.dim(3) % 2 == 0;
    }

    /** Whether it beats ORT's Conv for a conv of x to {@code cout} channels: {@link #MIN_CHANNELS} in and out. */
    public static boolean pays(Value x, long cout) {
        return Math.min(x.dim(1), cout) >= MIN_CHANNELS;
    }

    /** {@code Conv(x, w, pads=1)} for x [N, Cin, H, W] and w [Cout, Cin, 3, 3], up to float rounding. */
    public static Value conv2d(Ops o, Value x, Value w) {
        try (GraphBuilder.Scope s = o.builder().scope(SCOPE)) {
            return tiled(o, x, w);
        }
    }

    private static Value tiled(Ops o, Value x, Value w) {
        long n = x.dim(0);
        long cin = x.dim(1);
        long h = x.dim(2);
        long wd = x.dim(3);
        long cout = w.dim(0);
        long th = h / 2;
        long tw = wd / 2;
        Value xs = o.reshape(transpose2d(o, o.reshape(x, n * cin, h * wd)), h, wd, n * cin);
        // input tiles: along W into [4(b), H, tw, N*Cin], then along H into [4(b), 4(a)*th, tw*N*Cin]
        Value alongW = o.matmul(o.constant(inputTransform(tw, wd, true)), xs);
        Value alongH = o.matmul(o.constant(inputTransform(th, h, false)),
                o.reshape(alongW, 4, h, tw * n * cin));
        Value v = o.reshape(alongH, 16, th * tw * n, cin);
        // kernel: U[(b, a)] = (G g G^T)[a, b] as [16, Cout, Cin]; the product takes it transposed, which ORT
        // fuses into the MatMul
        Value g = transpose2d(o, o.reshape(w, cout * cin, 9));
        Value u = o.reshape(o.matmul(o.constant(kernelTransform()), g), 16, cout, cin);
        Value m = o.matmul(v, o.transpose(u, 0, 2, 1));
        // output tiles: along H (a, ti) -> h giving [4(b), H, tw*N*Cout], then along W (b, tj) -> w
        Value outH = o.matmul(o.constant(outputTransform(th, h)), o.reshape(m, 4, 4 * th, tw * n * cout));
        Value byRow = o.reshape(o.transpose(o.reshape(outH, 4, h, tw * n * cout), 1, 0, 2), h, 4 * tw,
                n * cout);
        Value outW = o.matmul(o.constant(outputTransform(tw, wd)), byRow);
        return o.reshape(transpose2d(o, o.reshape(outW, h * wd, n * cout)), n, cout, h, wd);
    }

    /**
     * The layout changes between [N*C, H*W] and [H*W, N*C] (and of the kernel, [Cout*Cin, 9]): a 2-D
     * transpose, which ORT runs as a single-axis move, several times faster than a general 4-D permutation of
     * the same tensor. Shape-keeping Flattens on both sides fence it off from ORT's transpose optimizer, which
     * would otherwise push it into the BatchNorm and ReLU around the conv (and into the optimizer update of the
     * kernel) as 4-D permutations; the fences' gradients are fences.
     */
    private static Value transpose2d(Ops o, Value m) {
        return o.flatten(o.transpose(o.flatten(m, 1), 1, 0), 1);
    }

    /**
     * The input transform along one axis of length {@code size} (padded by 1 on both sides) with
     * {@code tiles} tiles: row (b, t) holds B^T[b, .] at taps 2t-1 .. 2t+2. Shaped [4, 1, tiles, size] when
     * {@code broadcast} (one matrix per b, broadcast over the other spatial axis), else [4*tiles, size].
     */
    static Tensor inputTransform(long tiles, long size, boolean broadcast) {
        float[] v = new float[(int) (4 * tiles * size)];
        for (int b = 0; b < 4; b++) {
            for (int t = 0; t < tiles; t++) {
                for (int r = 0; r < 4; r++) {
                    long pos = 2L * t + r - 1;
                    if (pos >= 0 && pos < size) {
                        v[(int) ((b * tiles + t) * size + pos)] = BT[b][r];
                    }
                }
            }
        }
        return broadcast ? Tensor.ofFloats(Shape.of(4, 1, tiles, size), v)
                : Tensor.ofFloats(Shape.of(4 * tiles, size), v);
    }

    /** [16, 9]: row (b, a), column (r, s) = G[a, r] G[b, s]. */
    static Tensor kernelTransform() {
        float[] v = new float[16 * 9];
        for (int b = 0; b < 4; b++) {
            for (int a = 0; a < 4; a++) {
                for (int r = 0; r < 3; r++) {
                    for (int s = 0; s < 3; s++) {
                        v[(b * 4 + a) * 9 + r * 3 + s] = G[a][r] * G[b][s];
                    }
                }
            }
        }
        return Tensor.ofFloats(Shape.of(16, 9), v);
    }

    /** The output transform along one axis: [size, 4*tiles], entry (p, (k, t)) = A^T[p - 2t, k]. */
    static Tensor outputTransform(long tiles, long size) {
        float[] v = new float[(int) (size * 4 * tiles)];
        for (int k = 0; k < 4; k++) {
            for (int t = 0; t < tiles; t++) {
                for (int q = 0; q < 2; q++) {
                    v[(int) ((2L * t + q) * 4 * tiles + k * tiles + t)] = AT[q][k];
                }
            }
        }
        return Tensor.ofFloats(Shape.of(size, 4 * tiles), v);
    }
}
