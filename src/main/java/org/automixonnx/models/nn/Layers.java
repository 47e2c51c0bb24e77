package org.automixonnx.models.nn;

import java.util.List;
import java.util.Map;
import org.automixonnx.autodiff.BatchGemmConv;
import org.automixonnx.graphs.BuildContext;
import org.automixonnx.graphs.ConvLowering;
import org.automixonnx.graphs.Initializer;
import org.automixonnx.graphs.Mode;
import org.automixonnx.graphs.TapMatrixDepthwiseConv;
import org.automixonnx.graphs.WinogradConv;
import org.automixonnx.onnx.GraphBuilder;
import org.automixonnx.onnx.Ops;
import org.automixonnx.onnx.Shape;
import org.automixonnx.onnx.Value;

/**
 * Stateless layers and layers with plain parameters. Each opens a builder scope named after the
 * module, so parameter names ({@code layer1.0.conv1.weight}) and node names read like torchvision's.
 */
public final class Layers {
    private Layers() {
    }

    /** Square-kernel 2-D convolution without bias (torchvision's convention before a BatchNorm). */
    public static Value conv2d(BuildContext ctx, String name, Value x, int outChannels, int kernel, int stride,
            int pad, Initializer init) {
        return conv2d(ctx, name, x, outChannels, kernel, stride, pad, 1, init);
    }

    /** Grouped square-kernel 2-D convolution without bias (groups = in channels: depthwise). */
    public static Value conv2d(BuildContext ctx, String name, Value x, int outChannels, int kernel, int stride,
            int pad, int groups, Initializer init) {
        long in = x.dim(1);
        if (in % groups != 0 || outChannels % groups != 0) {
            throw new IllegalArgumentException("conv '" + ctx.qualify(name) + "': " + in + " -> " + outChannels
                    + " channels do not split into " + groups + " groups");
        }
        try (GraphBuilder.Scope s = ctx.builder().scope(name)) {
            Value w = ctx.parameter("weight", Shape.of(outChannels, in / groups, kernel, kernel), init);
            return ctx.mode() == Mode.TRAIN ? trainingConv(ctx, x, w, stride, pad, groups)
                    : ctx.ops().conv2d(x, w, null, stride, pad, 1, groups);
        }
    }

    /**
     * Square-kernel 2-D convolution with a bias (torch.nn.Conv2d's default, e.g. a ViT's patch embedding): the bias
     * is added to the conv's output, so every lowering of the conv serves it.
     */
    public static Value conv2d(BuildContext ctx, String name, Value x, int outChannels, int kernel, int stride,
            int pad, Initializer init, Initializer biasInit) {
        Value y = conv2d(ctx, name, x, outChannels, kernel, stride, pad, init);
        try (GraphBuilder.Scope s = ctx.builder().scope(name)) {
            Value bias = ctx.parameter("bias", Shape.of(outChannels), biasInit);
            return ctx.ops().add(y, ctx.ops().reshape(bias, 1, outChannels, 1, 1));
        }
    }

    /**
     * A training graph's conv in the formulation its shape runs fastest in on ORT CPU ({@link ConvLowering}):
     * Winograd for wide 3x3 stride-1 convs, one GEMM over the batch for other few-position convs, a tap-matrix
     * product for few-position depthwise convs, else ORT's Conv (measured with OpBench winograd / batchcols /
     * colsfwd and bench --profile).
     */
    private static Value trainingConv(BuildContext ctx, Value x, Value w, int stride, int pad, int groups) {
        long cout = w.dim(0);
        int kernel = (int) w.dim(2);
        if (ctx.convLowering() == ConvLowering.DIRECT) {
            return ctx.ops().conv2d(x, w, null, stride, pad, 1, groups);
        }
        if (WinogradConv.computes(x, kernel, stride, pad, groups)
                && (ctx.convLowering() == ConvLowering.WINOGRAD_ANY_WIDTH || WinogradConv.pays(x, cout))) {
            return WinogradConv.conv2d(ctx.ops(), x, w);
        }
        if (BatchGemmConv.applies(x, cout, kernel, stride, pad, groups)) {
            return BatchGemmConv.conv2d(ctx.ops(), x, w, stride, pad);
        }
        if (TapMatrixDepthwiseConv.applies(x, cout, kernel, stride, pad, groups)) {
            return TapMatrixDepthwiseConv.conv2d(ctx.ops(), x, w, stride, pad);
        }
        return ctx.ops().conv2d(x, w, null, stride, pad, 1, groups);
    }

    /** Fully connected layer {@code x W^T + b}, weight [out, in] as in torch.nn.Linear. */
    public static Value linear(BuildContext ctx, String name, Value x, int outFeatures, Initializer weightInit,
            Initializer biasInit) {
        try (GraphBuilder.Scope s = ctx.builder().scope(name)) {
            Value w = ctx.parameter("weight", Shape.of(outFeatures, x.dim(1)), weightInit);
            Value bias = ctx.parameter("bias", Shape.of(outFeatures), biasInit);
            return ctx.ops().gemm(x, w, bias, false, true);
        }
    }

    /**
     * torch.nn.LayerNorm over the last axis: one LayerNormalization node with {@code weight} (1) and {@code bias} (0)
     * of the last axis' size.
     */
    public static Value layerNorm(BuildContext ctx, String name, Value x, float epsilon) {
        try (GraphBuilder.Scope s = ctx.builder().scope(name)) {
            Shape features = Shape.of(x.dim(x.rank() - 1));
            Value weight = ctx.parameter("weight", features, Initializer.constant(1f));
            Value bias = ctx.parameter("bias", features, Initializer.constant(0f));
            return ctx.ops().layerNorm(x, weight, bias, -1, epsilon, 1).get(0);
        }
    }

    /** The exact GELU (torch.nn.GELU's default): {@code x * 0.5 * (1 + erf(x / sqrt 2))}. */
    public static Value gelu(BuildContext ctx, Value x) {
        Ops o = ctx.ops();
        Value cdf = o.mul(o.add(o.erf(o.mul(x, (float) (1 / Math.sqrt(2)))), 1f), 0.5f);
        return o.mul(x, cdf);
    }

    public static Value relu(BuildContext ctx, Value x) {
        return ctx.ops().relu(x);
    }

    /** min(max(x, 0), 6) as one Clip (torch.nn.ReLU6). */
    public static Value relu6(BuildContext ctx, Value x) {
        return ctx.ops().clip(x, ctx.builder().scalar(0f), ctx.builder().scalar(6f));
    }

    /** [N, C, H, W] -> [N, C]: global average pooling followed by flattening. */
    public static Value globalAvgPoolFlatten(BuildContext ctx, Value x) {
        return ctx.ops().flatten(ctx.ops().globalAveragePool(x), 1);
    }

    /** Max pooling with a square window and symmetric padding (the ImageNet stem's 3x3/2). */
    public static Value maxPool2d(BuildContext ctx, Value x, int kernel, int stride, int pad) {
        return ctx.builder().op("MaxPool", List.of(x), Map.of(
                "kernel_shape", new long[] {kernel, kernel},
                "strides", new long[] {stride, stride},
                "pads", new long[] {pad, pad, pad, pad}));
    }
}
