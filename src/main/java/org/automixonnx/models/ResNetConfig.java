package org.automixonnx.models;

import java.util.Arrays;
import java.util.Objects;

/**
 * Shape of a torchvision-style ResNet or ResNeXt.
 *
 * @param blocks            residual blocks per stage (ResNet-18: 2, 2, 2, 2; ResNet-50: 3, 4, 6, 3)
 * @param block             BASIC (two 3x3 convs) or BOTTLENECK (1x1, 3x3, 1x1 with expansion 4)
 * @param baseWidth         "planes" of stage 1 (64 for the standard nets); stage s has baseWidth * 2^(s-1) planes
 * @param groups            cardinality of the bottleneck's 3x3 conv at full width (ResNeXt 32x4d: 32; ResNet: 1)
 * @param widthPerGroup     channels per group at full width (ResNeXt 32x4d: 4; ResNet: 64)
 * @param inChannels        image channels
 * @param numClasses        classes of the linear head(s)
 * @param stem              CIFAR (3x3/1 conv, no pooling) or IMAGENET (7x7/2 conv + 3x3/2 max-pool)
 * @param zeroInitResidual  zero-initialise the last BN weight of each block, so every block starts as identity
 * @param twoHeads          {@code head_one} and {@code head_mix} instead of the single {@code fc}
 */
public record ResNetConfig(int[] blocks, Block block, int baseWidth, int groups, int widthPerGroup, int inChannels,
        int numClasses, Stem stem, boolean zeroInitResidual, boolean twoHeads) {
    public enum Stem { CIFAR, IMAGENET }

    public enum Block {
        BASIC(1), BOTTLENECK(4);

        /** Output channels per "plane" of the block (torchvision's {@code expansion}). */
        public final int expansion;

        Block(int expansion) {
            this.expansion = expansion;
        }
    }

    public ResNetConfig {
        blocks = blocks.clone();
        if (blocks.length != 4 || baseWidth < 1 || groups < 1 || widthPerGroup < 1 || inChannels < 1
                || numClasses < 1) {
            throw new IllegalArgumentException("invalid ResNet configuration");
        }
        if (block == Block.BASIC && (groups != 1 || widthPerGroup != 64)) {
            throw new IllegalArgumentException("BasicBlock supports only groups=1 and width per group 64");
        }
    }

    /** ResNet-18 with the CIFAR stem on RGB images. */
    public static ResNetConfig resnet18Cifar(int numClasses) {
        return new ResNetConfig(new int[] {2, 2, 2, 2}, Block.BASIC, 64, 1, 64, 3, numClasses, Stem.CIFAR, true,
                false);
    }

    /** torchvision's resnet18/34/50/101 with the ImageNet stem. */
    public static ResNetConfig resnet(int depth, int numClasses) {
        ResNetConfig c = resnet18Cifar(numClasses).withStem(Stem.IMAGENET);
        return switch (depth) {
            case 18 -> c;
            case 34 -> c.withBlocks(3, 4, 6, 3);
            case 50 -> c.withBlocks(3, 4, 6, 3).withBlock(Block.BOTTLENECK);
            case 101 -> c.withBlocks(3, 4, 23, 3).withBlock(Block.BOTTLENECK);
            default -> throw new IllegalArgumentException("no ResNet of depth " + depth + " (18, 34, 50, 101)");
        };
    }

    /** torchvision's resnext50_32x4d / resnext101_32x4d layout (ImageNet stem). */
    public static ResNetConfig resnext32x4d(int depth, int numClasses) {
        return resnet(depth, numClasses).withGroups(32, 4);
    }

    /**
     * The same net with every width multiplied by {@code w} (at least 1 channel). ResNeXt keeps 4 channels per
     * group and scales the cardinality instead, so narrow variants stay grouped.
     */
    public ResNetConfig widthMultiplier(double w) {
        return withBaseWidth(Math.max(1, (int) Math.round(64 * w)));
    }

    public ResNetConfig withBaseWidth(int width) {
        return new ResNetConfig(blocks, block, width, groups, widthPerGroup, inChannels, numClasses, stem,
                zeroInitResidual, twoHeads);
    }

    public ResNetConfig withBlocks(int... perStage) {
        return new ResNetConfig(perStage, block, baseWidth, groups, widthPerGroup, inChannels, numClasses, stem,
                zeroInitResidual, twoHeads);
    }

    public ResNetConfig withBlock(Block b) {
        return new ResNetConfig(blocks, b, baseWidth, groups, widthPerGroup, inChannels, numClasses, stem,
                zeroInitResidual, twoHeads);
    }

    public ResNetConfig withGroups(int g, int perGroup) {
        return new ResNetConfig(blocks, block, baseWidth, g, perGroup, inChannels, numClasses, stem,
                zeroInitResidual, twoHeads);
    }

    public ResNetConfig withInChannels(int c) {
        return new ResNetConfig(blocks, block, baseWidth, groups, widthPerGroup, c, numClasses, stem,
                zeroInitResidual, twoHeads);
    }

    public ResNetConfig withClasses(int k) {
        return new ResNetConfig(blocks, block, baseWidth, groups, widthPerGroup, inChannels, k, stem,
                zeroInitResidual, twoHeads);
    }

    public ResNetConfig withStem(Stem s) {
        return new ResNetConfig(blocks, block, baseWidth, groups, widthPerGroup, inChannels, numClasses, s,
                zeroInitResidual, twoHeads);
    }

    public ResNetConfig withZeroInitResidual(boolean z) {
        return new ResNetConfig(blocks, block, baseWidth, groups, widthPerGroup, inChannels, numClasses, stem, z,
                twoHeads);
    }

    public ResNetConfig withTwoHeads(boolean two) {
        return new ResNetConfig(blocks, block, baseWidth, groups, widthPerGroup, inChannels, numClasses, stem,
                zeroInitResidual, two);
    }

    /** "Planes" of stage {@code s} (1..4); the stage outputs planes * expansion channels. */
    public int stagePlanes(int s) {
        return baseWidth << (s - 1);
    }

    /** Output channels of stage {@code s} (1..4). */
    public int stageWidth(int s) {
        return stagePlanes(s) * block.expansion;
    }

    /** Groups of the bottleneck's 3x3 conv at this width: the cardinality scaled with the width multiplier. */
    public int effectiveGroups() {
        return groups == 1 ? 1 : Math.max(1, (int) Math.round(groups * baseWidth / 64.0));
    }

    /** Channels inside a bottleneck of stage {@code s}: torchvision's {@code int(planes * wpg / 64) * groups}. */
    public int bottleneckWidth(int s) {
        return stagePlanes(s) * widthPerGroup * groups / 64;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ResNetConfig c && Arrays.equals(blocks, c.blocks) && block == c.block
                && baseWidth == c.baseWidth && groups == c.groups && widthPerGroup == c.widthPerGroup
                && inChannels == c.inChannels && numClasses == c.numClasses && stem == c.stem
                && zeroInitResidual == c.zeroInitResidual && twoHeads == c.twoHeads;
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(blocks), block, baseWidth, groups, widthPerGroup, inChannels, numClasses,
                stem, zeroInitResidual, twoHeads);
    }
}
