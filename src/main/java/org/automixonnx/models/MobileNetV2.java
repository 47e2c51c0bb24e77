package org.automixonnx.models;

import org.automixonnx.graphs.BuildContext;
import org.automixonnx.graphs.Initializer;
import org.automixonnx.models.nn.BatchNorm2d;
import org.automixonnx.models.nn.Layers;
import org.automixonnx.onnx.GraphBuilder;
import org.automixonnx.onnx.Value;

/**
 * MobileNetV2 (Sandler et al.) in torchvision's layout and names: {@code features.0} (3x3/2 conv-BN-ReLU6),
 * {@code features.1..17} inverted residual blocks ({@code features.i.conv.*}), {@code features.18} (1x1 conv
 * to 1280 channels, BN, ReLU6), head {@code classifier.1}. ReLU6 is {@code Clip(0, 6)}. The width multiplier
 * rounds channels to multiples of 8 as torchvision does; the 1280-channel last conv only grows with it.
 *
 * <p>Feature taps at the stride boundaries that match a ResNet's stages: {@code l1} after {@code features.3}
 * (stride 4, 24 channels), {@code l2} after {@code features.6} (stride 8, 32), {@code l3} after
 * {@code features.13} (stride 16, 96), {@code l4} after {@code features.18} (stride 32, 1280, the pooled tensor).
 *
 * <p>The classifier's dropout (torchvision: p = 0.2 before the linear layer) is left out: this toolkit's
 * graphs are deterministic. Init as torchvision (and docs/automix.md): convs Kaiming-normal fan-out, BN 1/0,
 * heads Normal(0, 0.01).
 */
public final class MobileNetV2 extends StagedClassifier {
    /** torchvision's inverted residual setting: expansion t, channels c, repeats n, first stride s. */
    private static final int[][] SETTING = {
        {1, 16, 1, 1}, {6, 24, 2, 2}, {6, 32, 3, 2}, {6, 64, 4, 2}, {6, 96, 3, 1}, {6, 160, 3, 2}, {6, 320, 1, 1}};
    /** Last {@code features} index of each stage l1..l4. */
    private static final int[] STAGE_END = {3, 6, 13, 18};

    private final double width;
    private final int inChannels;

    public MobileNetV2(double width, int inChannels, int numClasses, boolean twoHeads) {
        super(numClasses, twoHeads);
        if (width <= 0) {
            throw new IllegalArgumentException("width multiplier must be positive, got " + width);
        }
        this.width = width;
        this.inChannels = inChannels;
    }

    /** The zoo's name (the width multiplier rounds channels as torchvision does; no {@code -cifar} variant). */
    static void register(ModelRegistry r) {
        r.register("mobilenetv2", a -> new MobileNetV2(a.width(), a.channels(), a.classes(), false));
    }

    public int inChannels() {
        return inChannels;
    }

    @Override
    public MobileNetV2 withTwoHeads(boolean two) {
        return new MobileNetV2(width, inChannels, numClasses(), two);
    }

    @Override
    protected String singleHeadName() {
        return "classifier.1";
    }

    /** torchvision's {@code _make_divisible(v, 8)}: nearest multiple of 8, at least 8, not below 90% of v. */
    static int makeDivisible(double v) {
        int r = Math.max(8, (int) (v + 4) / 8 * 8);
        return r < 0.9 * v ? r + 8 : r;
    }

    @Override
    protected Value stem(BuildContext ctx, Value x) {
        try (GraphBuilder.Scope s = ctx.builder().scope("features")) {
            return convBnRelu6(ctx, "0", x, makeDivisible(32 * width), 3, 2, 1);
        }
    }

    @Override
    protected Value stage(BuildContext ctx, int s, Value h) {
        try (GraphBuilder.Scope scope = ctx.builder().scope("features")) {
            int first = s == 1 ? 1 : STAGE_END[s - 2] + 1;
            int index = 1;
            for (int[] row : SETTING) {
                for (int i = 0; i < row[2]; i++, index++) {
                    if (index >= first && index <= STAGE_END[s - 1]) {
                        h = invertedResidual(ctx, Integer.toString(index), h, makeDivisible(row[1] * width),
                                i == 0 ? row[3] : 1, row[0]);
                    }
                }
            }
            if (s == 4) {
                h = convBnRelu6(ctx, "18", h, makeDivisible(1280 * Math.max(1.0, width)), 1, 1, 1);
            }
            return h;
        }
    }

    private static Value invertedResidual(BuildContext ctx, String name, Value x, int out, int stride, int expand) {
        try (GraphBuilder.Scope s = ctx.builder().scope(name); GraphBuilder.Scope c = ctx.builder().scope("conv")) {
            int in = Math.toIntExact(x.dim(1));
            int hidden = in * expand;
            int i = 0;
            Value h = x;
            if (expand != 1) {
                h = convBnRelu6(ctx, Integer.toString(i++), h, hidden, 1, 1, 1);
            }
            h = convBnRelu6(ctx, Integer.toString(i++), h, hidden, 3, stride, hidden);
            h = Layers.conv2d(ctx, Integer.toString(i++), h, out, 1, 1, 0, ResNet.CONV_INIT);
            h = BatchNorm2d.apply(ctx, Integer.toString(i), h, Initializer.constant(1f));
            return stride == 1 && in == out ? ctx.ops().add(x, h) : h;
        }
    }

    /** torchvision's Conv2dNormActivation: {@code name.0} conv (no bias), {@code name.1} BN, ReLU6. */
    private static Value convBnRelu6(BuildContext ctx, String name, Value x, int out, int kernel, int stride,
            int groups) {
        try (GraphBuilder.Scope s = ctx.builder().scope(name)) {
            Value h = Layers.conv2d(ctx, "0", x, out, kernel, stride, (kernel - 1) / 2, groups, ResNet.CONV_INIT);
            return Layers.relu6(ctx, BatchNorm2d.apply(ctx, "1", h, Initializer.constant(1f)));
        }
    }
}
