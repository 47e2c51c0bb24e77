package org.automixonnx.models;

import org.automixonnx.graphs.BuildContext;
import org.automixonnx.graphs.Initializer;
import org.automixonnx.graphs.Network;
import org.automixonnx.models.nn.BatchNorm2d;
import org.automixonnx.models.nn.Layers;
import org.automixonnx.onnx.GraphBuilder;
import org.automixonnx.onnx.Value;

/**
 * ResNet with BasicBlocks (He et al.), parameter names and layout as torchvision's {@code resnet18}.
 * Stage outputs are exposed as feature taps {@code l1..l4} (see {@link BuildContext#tap}).
 *
 * <p>Init (AutoMix recipe): convolutions Kaiming-normal fan-out/ReLU, BN weight 1 and bias 0 (last BN of
 * each block 0 when {@code zeroInitResidual}), linear head weight Normal(0, 0.01) and bias 0.
 */
public final class ResNet implements Network {
    static final Initializer CONV_INIT = Initializer.kaimingNormalFanOut();
    static final Initializer HEAD_INIT = Initializer.normal(0.01);

    private final ResNetConfig config;

    public ResNet(ResNetConfig config) {
        this.config = config;
    }

    public ResNetConfig config() {
        return config;
    }

    @Override
    public Value forward(BuildContext ctx, Value x) {
        return head(ctx, "fc", Layers.globalAvgPoolFlatten(ctx, features(ctx, x, 4)));
    }

    /** Stem and stages 1..{@code lastStage}; returns the last stage's output (also tapped as {@code l<s>}). */
    public Value features(BuildContext ctx, Value x, int lastStage) {
        Value h = stem(ctx, x);
        for (int s = 1; s <= lastStage; s++) {
            int width = config.stageWidth(s);
            try (GraphBuilder.Scope scope = ctx.builder().scope("layer" + s)) {
                for (int blk = 0; blk < config.blocks()[s - 1]; blk++) {
                    int stride = (s > 1 && blk == 0) ? 2 : 1;
                    h = BasicBlock.apply(ctx, Integer.toString(blk), h, width, stride, config.zeroInitResidual());
                }
            }
            h = ctx.tap("l" + s, h);
        }
        return h;
    }

    /** A linear classifier over pooled features [N, C]; AutoMix uses two (one-hot and mixup heads). */
    public Value head(BuildContext ctx, String name, Value pooled) {
        return Layers.linear(ctx, name, pooled, config.numClasses(), HEAD_INIT, Initializer.constant(0f));
    }

    private Value stem(BuildContext ctx, Value x) {
        boolean cifar = config.stem() == ResNetConfig.Stem.CIFAR;
        Value h = cifar
                ? Layers.conv2d(ctx, "conv1", x, config.baseWidth(), 3, 1, 1, CONV_INIT)
                : Layers.conv2d(ctx, "conv1", x, config.baseWidth(), 7, 2, 3, CONV_INIT);
        h = Layers.relu(ctx, BatchNorm2d.apply(ctx, "bn1", h, Initializer.constant(1f)));
        return cifar ? h : Layers.maxPool2d(ctx, h, 3, 2, 1);
    }
}
