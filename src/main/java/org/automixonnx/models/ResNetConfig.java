package org.automixonnx.models;

/**
 * Shape of a ResNet with BasicBlocks.
 *
 * @param blocks            residual blocks per stage (ResNet-18: 2, 2, 2, 2)
 * @param baseWidth         channels of the stem and stage 1 (64 for the standard net); stage i has baseWidth * 2^i
 * @param inChannels        image channels
 * @param numClasses        classes of the linear head
 * @param stem              CIFAR (3x3/1 conv, no pooling) or IMAGENET (7x7/2 conv + 3x3/2 max-pool)
 * @param zeroInitResidual  zero-initialise the last BN weight of each block, so every block starts as identity
 */
public record ResNetConfig(int[] blocks, int baseWidth, int inChannels, int numClasses, Stem stem,
        boolean zeroInitResidual) {
    public enum Stem { CIFAR, IMAGENET }

    public ResNetConfig {
        blocks = blocks.clone();
        if (blocks.length != 4 || baseWidth < 1 || inChannels < 1 || numClasses < 1) {
            throw new IllegalArgumentException("invalid ResNet configuration");
        }
    }

    /** ResNet-18 with the CIFAR stem on RGB images. */
    public static ResNetConfig resnet18Cifar(int numClasses) {
        return new ResNetConfig(new int[] {2, 2, 2, 2}, 64, 3, numClasses, Stem.CIFAR, true);
    }

    /** The same net with every width multiplied by {@code w} (tiny variants for tests), at least 1 channel. */
    public ResNetConfig widthMultiplier(double w) {
        return withBaseWidth(Math.max(1, (int) Math.round(64 * w)));
    }

    public ResNetConfig withBaseWidth(int width) {
        return new ResNetConfig(blocks, width, inChannels, numClasses, stem, zeroInitResidual);
    }

    public ResNetConfig withBlocks(int... perStage) {
        return new ResNetConfig(perStage, baseWidth, inChannels, numClasses, stem, zeroInitResidual);
    }

    public ResNetConfig withInChannels(int c) {
        return new ResNetConfig(blocks, baseWidth, c, numClasses, stem, zeroInitResidual);
    }

    public ResNetConfig withStem(Stem s) {
        return new ResNetConfig(blocks, baseWidth, inChannels, numClasses, s, zeroInitResidual);
    }

    public ResNetConfig withZeroInitResidual(boolean z) {
        return new ResNetConfig(blocks, baseWidth, inChannels, numClasses, stem, z);
    }

    /** Output channels of stage {@code s} (1..4). */
    public int stageWidth(int s) {
        return baseWidth << (s - 1);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ResNetConfig c && java.util.Arrays.equals(blocks, c.blocks) && baseWidth == c.baseWidth
                && inChannels == c.inChannels && numClasses == c.numClasses && stem == c.stem
                && zeroInitResidual == c.zeroInitResidual;
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(java.util.Arrays.hashCode(blocks), baseWidth, inChannels, numClasses, stem,
                zeroInitResidual);
    }
}
