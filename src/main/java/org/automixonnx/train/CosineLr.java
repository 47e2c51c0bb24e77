package org.automixonnx.train;

/**
 * Cosine learning-rate schedule stepped per epoch, as the reference recipes use it:
 * {@code lr_e = min + (lr0 - min) (1 + cos(pi e / E)) / 2} for epoch e = 0..E-1, with an optional linear
 * warm-up over the first {@code warmupEpochs} epochs from {@code lr0 * warmupRatio}.
 */
public record CosineLr(double base, double min, int epochs, int warmupEpochs, double warmupRatio) {
    public CosineLr {
        if (epochs < 1 || base < 0 || min < 0 || warmupEpochs < 0 || warmupEpochs >= Math.max(epochs, 1) && warmupEpochs > 0) {
            throw new IllegalArgumentException("invalid cosine schedule: base " + base + ", min " + min + ", "
                    + epochs + " epochs, " + warmupEpochs + " warm-up epochs");
        }
    }

    public CosineLr(double base, double min, int epochs) {
        this(base, min, epochs, 0, 0);
    }

    public double at(int epoch) {
        if (epoch < warmupEpochs) {
            double start = base * warmupRatio;
            return start + (base - start) * epoch / warmupEpochs;
        }
        return min + (base - min) * (1 + Math.cos(Math.PI * epoch / epochs)) / 2;
    }
}
