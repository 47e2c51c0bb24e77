package org.automixonnx.models;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Model names users type ({@code --model}) -> classifiers. A name is an architecture, an optional stem suffix
 * and an optional width multiplier, e.g. {@code resnet18-cifar}, {@code resnet50}, {@code resnext50-32x4d-cifar},
 * {@code wrn-28-10}, {@code preact-resnet18}, {@code mobilenetv2-w0.5}, {@code resnet18-cifar-w0.25}.
 * ResNets and ResNeXts use the ImageNet stem (7x7/2 conv + max-pool) unless {@code -cifar} is given;
 * Wide-ResNets and PreAct-ResNet-18 are CIFAR networks (3x3/1 stem), MobileNetV2 has its own 3x3/2 stem.
 */
public final class ModelZoo {
    private static final Pattern NAME = Pattern.compile(
            "(resnet(?:18|34|50|101)|resnext(?:50|101)-32x4d|wrn-(\\d+)-(\\d+)|preact-resnet18|mobilenetv2)"
                    + "(-cifar)?(?:-w([0-9]*\\.?[0-9]+))?");

    private ModelZoo() {
    }

    /** Names accepted by {@link #create} (without width suffixes; WRN accepts any depth 6n+4 and widen factor). */
    public static List<String> names() {
        return List.of("resnet18", "resnet34", "resnet50", "resnet101", "resnet18-cifar", "resnet34-cifar",
                "resnet50-cifar", "resnet101-cifar", "resnext50-32x4d", "resnext101-32x4d", "resnext50-32x4d-cifar",
                "resnext101-32x4d-cifar", "wrn-28-8", "wrn-28-10", "preact-resnet18", "mobilenetv2");
    }

    /** A single-head classifier (the torchvision head name). */
    public static ImageClassifier create(String name, int channels, int classes) {
        return create(name, channels, classes, false);
    }

    /** @param twoHeads {@code head_one} and {@code head_mix} (AutoMix) instead of the single head */
    public static ImageClassifier create(String name, int channels, int classes, boolean twoHeads) {
        Matcher m = NAME.matcher(name.trim().toLowerCase());
        if (!m.matches()) {
            throw new IllegalArgumentException("unknown model '" + name + "'; known: " + String.join(", ", names())
                    + " (append -w<multiplier> for a narrower variant, e.g. resnet18-cifar-w0.25)");
        }
        String arch = m.group(1);
        boolean cifar = m.group(4) != null;
        double w = 1.0;
        if (m.group(5) != null) {
            w = Double.parseDouble(m.group(5));
            if (w <= 0 || w > 4) {
                throw new IllegalArgumentException("width multiplier must be in (0, 4], got " + w);
            }
        }
        ImageClassifier c;
        if (arch.startsWith("resnet") || arch.startsWith("resnext")) {
            int depth = Integer.parseInt(arch.replaceAll("\\D*(\\d+).*", "$1"));
            ResNetConfig config = arch.startsWith("resnext") ? ResNetConfig.resnext32x4d(depth, classes)
                    : ResNetConfig.resnet(depth, classes);
            config = config.withInChannels(channels).withStem(cifar ? ResNetConfig.Stem.CIFAR
                    : ResNetConfig.Stem.IMAGENET);
            c = new ResNet(w == 1.0 ? config : config.widthMultiplier(w));
        } else if (arch.startsWith("wrn")) {
            c = PreActResNet.wide(Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)), w, channels, classes);
        } else if (arch.equals("preact-resnet18")) {
            c = PreActResNet.preact18(w, channels, classes);
        } else {
            if (cifar) {
                throw new IllegalArgumentException("mobilenetv2 has no -cifar variant");
            }
            c = new MobileNetV2(w, channels, classes, false);
        }
        return c.withTwoHeads(twoHeads);
    }
}
