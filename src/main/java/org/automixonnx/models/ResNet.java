package org.automixonnx.models;

import java.util.function.BiFunction;
import org.automixonnx.graphs.BuildContext;
import org.automixonnx.graphs.Initializer;
import org.automixonnx.models.ResNetConfig.Stem;
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

    /**
     * The zoo's names: torchvision's ResNets and ResNeXt-32x4d with the ImageNet stem (7x7/2 conv + max-pool), and
     * with {@code -cifar} the CIFAR stem (3x3/1 conv, no pooling).
     */
    static void register(ModelRegistry r) {
        r.register("resnet18", builder(ResNetConfig::resnet, 18, Stem.IMAGENET));
        r.register("resnet34", builder(ResNetConfig::resnet, 34, Stem.IMAGENET));
        r.register("resnet50", builder(ResNetConfig::resnet, 50, Stem.IMAGENET));
        r.register("resnet101", builder(ResNetConfig::resnet, 101, Stem.IMAGENET));
        r.register("resnet18-cifar", builder(ResNetConfig::resnet, 18, Stem.CIFAR));
        r.register("resnet34-cifar", builder(ResNetConfig::resnet, 34, Stem.CIFAR));
        r.register("resnet50-cifar", builder(ResNetConfig::resnet, 50, Stem.CIFAR));
        r.register("resnet101-cifar", builder(ResNetConfig::resnet, 101, Stem.CIFAR));
        r.register("resnext50-32x4d", builder(ResNetConfig::resnext32x4d, 50, Stem.IMAGENET));
        r.register("resnext101-32x4d", builder(ResNetConfig::resnext32x4d, 101, Stem.IMAGENET));
        r.register("resnext50-32x4d-cifar", builder(ResNetConfig::resnext32x4d, 50, Stem.CIFAR));
        r.register("resnext101-32x4d-cifar", builder(ResNetConfig::resnext32x4d, 101, Stem.CIFAR));
    }

    /** @param layout (depth, classes) -> the full-width configuration */
    private static ModelRegistry.Builder builder(BiFunction<Integer, Integer, ResNetConfig> layout, int depth,
            Stem stem) {
        return a -> new ResNet(layout.apply(depth, a.classes()).withInChannels(a.channels()).withStem(stem)
                .widthMultiplier(a.width()));
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
