package org.automixonnx.models;

import java.util.List;

/**
 * The built-in models users pick with {@code --model}: one line per architecture family, each family registering its
 * own names in its class. A name is a registered name plus an optional width multiplier, e.g. {@code resnet18-cifar},
 * {@code resnet50}, {@code resnext50-32x4d-cifar}, {@code wrn-28-10}, {@code preact-resnet18},
 * {@code mobilenetv2-w0.5}, {@code resnet18-cifar-w0.25}, {@code deit-s}, {@code deit-s-d4-p4-w0.25} (docs/models.md
 * lists them).
 */
public final class ModelZoo {
    private static final ModelRegistry ZOO = register(new ModelRegistry());

    private ModelZoo() {
    }

    private static ModelRegistry register(ModelRegistry r) {
        ResNet.register(r);
        PreActResNet.register(r);
        MobileNetV2.register(r);
        VisionTransformer.register(r);
        return r;
    }

    /** Names accepted by {@link #create} (without width suffixes; WRN accepts any depth 6n+4 and widen factor). */
    public static List<String> names() {
        return ZOO.names();
    }

    /** A single-head classifier (the torchvision head name). */
    public static ImageClassifier create(String name, int channels, int classes) {
        return create(name, channels, classes, false);
    }

    /** @param twoHeads {@code head_one} and {@code head_mix} (AutoMix) instead of the single head */
    public static ImageClassifier create(String name, int channels, int classes, boolean twoHeads) {
        return ZOO.create(name, channels, classes, twoHeads);
    }
}
