package org.automixonnx.models;

/**
 * The linear heads a classifier can carry. A plain classifier has one head under its torchvision name
 * ({@code fc}, {@code classifier.1}); AutoMix's classifier has two over the same pooled features,
 * {@code head_one} (trained with one-hot CE, the deployed head) and {@code head_mix} (trained with mixup CE).
 */
public enum Head {
    ONE("head_one"),
    MIX("head_mix");

    private final String twoHeadName;

    Head(String twoHeadName) {
        this.twoHeadName = twoHeadName;
    }

    /** Module name of this head: the single head's torchvision name, or {@code head_one/head_mix} with two heads. */
    public String moduleName(boolean twoHeads, String singleHeadName) {
        if (!twoHeads && this == MIX) {
            throw new IllegalArgumentException("this classifier has a single head; build it with two heads for "
                    + twoHeadName);
        }
        return twoHeads ? twoHeadName : singleHeadName;
    }

    /** {@code one} or {@code mix} (as typed on the command line). */
    public static Head parse(String s) {
        return switch (s.trim().toLowerCase()) {
            case "one", "head_one" -> ONE;
            case "mix", "head_mix" -> MIX;
            default -> throw new IllegalArgumentException("unknown head '" + s + "' (one or mix)");
        };
    }
}
