package org.automixonnx.mixup;

/**
 * The weight beta of AutoMix's mask loss over training. The reference small-image configs keep it
 * constant (0.1); the paper decays it to 0: linearly, or along a half cosine from the initial value to 0
 * evaluated at each iteration directly (not by compounding per-step factors).
 */
public record MaskLossWeight(Kind kind, double initial, long totalIterations) {
    public enum Kind { CONSTANT, LINEAR, COSINE }

    public MaskLossWeight {
        if (totalIterations < 1 || initial < 0) {
            throw new IllegalArgumentException("invalid mask-loss weight schedule");
        }
    }

    public double at(long iteration) {
        double p = Math.min(1.0, Math.max(0.0, (double) iteration / totalIterations));
        return switch (kind) {
            case CONSTANT -> initial;
            case LINEAR -> initial * (1 - p);
            case COSINE -> initial * (1 + Math.cos(Math.PI * p)) / 2;
        };
    }
}
