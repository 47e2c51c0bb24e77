package org.automixonnx.models;

import org.automixonnx.graphs.BuildContext;
import org.automixonnx.graphs.Initializer;
import org.automixonnx.models.nn.BatchNorm2d;
import org.automixonnx.models.nn.Layers;
import org.automixonnx.onnx.GraphBuilder;
import org.automixonnx.onnx.Value;

/**
 * ResNet / ResNeXt (He et al., Xie et al.), parameter names and layout as torchvision's {@code resnet18} ..
 * {@code resnext101_32x4d}, with BasicBlocks or (v1.5) Bottlenecks. Stage outputs are the feature taps
 * {@code l1..l4}.
 *
 * <p>Init (AutoMix recipe): convolutions Kaiming-normal fan-out/ReLU, BN weight 1 and bias 0 (last BN of
 * each block 0 when {@code zeroInitResidual}), linear head weight Normal(0, 0.01) and bias 0.
 */
public final class ResNet extends StagedClassifier {
    static final Initializer CONV_INIT = Initializer.kaimingNormalFanOut();

    private final ResNetConfig config;

    public ResNet(ResNetConfig config) {
        super(config.numClasses(), config.twoHeads());
        this.config = config;
    }

    public ResNetConfig config() {
        return config;
    }

    @Override
    public ResNet withTwoHeads(boolean two) {
        return new ResNet(config.withTwoHeads(two));
    }

    @Override
    protected String singleHeadName() {
        return "fc";
    }

    @Override
    protected Value stem(BuildContext ctx, Value x) {
        boolean cifar = config.stem() == ResNetConfig.Stem.CIFAR;
        Value h = cifar
                ? Layers.conv2d(ctx, "conv1", x, config.baseWidth(), 3, 1, 1, CONV_INIT)
                : Layers.conv2d(ctx, "conv1", x, config.baseWidth(), 7, 2, 3, CONV_INIT);
        h = Layers.relu(ctx, BatchNorm2d.apply(ctx, "bn1", h, Initializer.constant(1f)));
        return cifar ? h : Layers.maxPool2d(ctx, h, 3, 2, 1);
    }

    @Override
    protected Value stage(BuildContext ctx, int s, Value h) {
        try (GraphBuilder.Scope scope = ctx.builder().scope("layer" + s)) {
            for (int blk = 0; blk < config.blocks()[s - 1]; blk++) {
                int stride = (s > 1 && blk == 0) ? 2 : 1;
                String name = Integer.toString(blk);
                h = config.block() == ResNetConfig.Block.BASIC
                        ? BasicBlock.apply(ctx, name, h, config.stageWidth(s), stride, config.zeroInitResidual())
                        : Bottleneck.apply(ctx, name, h, config.bottleneckWidth(s), config.effectiveGroups(),
                                config.stageWidth(s), stride, config.zeroInitResidual());
            }
        }
        return h;
    }
}
