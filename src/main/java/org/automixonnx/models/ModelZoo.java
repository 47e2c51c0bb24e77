package org.automixonnx.models;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.automixonnx.graphs.Network;

/**
 * Model names users type ({@code --model}) -> networks. A name is an architecture, an optional stem
 * suffix and an optional width multiplier: {@code resnet18-cifar}, {@code resnet34}, {@code resnet18-cifar-w0.25}.
 * Without {@code -cifar} the ImageNet stem (7x7/2 conv + max-pool) is used.
 */
public final class ModelZoo {
    private static final Pattern NAME = Pattern.compile("(resnet18|resnet34)(-cifar)?(?:-w([0-9]*\\.?[0-9]+))?");

    private ModelZoo() {
    }

    /** Names accepted by {@link #create} (without width suffixes). */
    public static List<String> names() {
        return List.of("resnet18-cifar", "resnet34-cifar", "resnet18", "resnet34");
    }

    public static Network create(String name, int channels, int classes) {
        return new ResNet(config(name, channels, classes));
    }

    public static ResNetConfig config(String name, int channels, int classes) {
        Matcher m = NAME.matcher(name.trim().toLowerCase());
        if (!m.matches()) {
            throw new IllegalArgumentException("unknown model '" + name + "'; known: " + String.join(", ", names())
                    + " (append -w<multiplier> for a narrower variant, e.g. resnet18-cifar-w0.25)");
        }
        ResNetConfig c = ResNetConfig.resnet18Cifar(classes).withInChannels(channels);
        if (m.group(1).equals("resnet34")) {
            c = c.withBlocks(3, 4, 6, 3);
        }
        if (m.group(2) == null) {
            c = c.withStem(ResNetConfig.Stem.IMAGENET);
        }
        if (m.group(3) != null) {
            double w = Double.parseDouble(m.group(3));
            if (w <= 0 || w > 4) {
                throw new IllegalArgumentException("width multiplier must be in (0, 4], got " + w);
            }
            c = c.widthMultiplier(w);
        }
        return c;
    }
}
