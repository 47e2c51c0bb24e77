package org.automixonnx.mixup;

/**
 * The AutoMix teacher's EMA momentum per iteration (docs/automix.md): {@code start} (0.999) during the first
 * {@code warmupFraction} (10%) of the iterations, then
 * {@code m_t = end - (end - start) (cos(pi t / T) + 1) / 2}, rising from start to end (0.999999) at t = T.
 */
public record EmaMomentum(double start, double end, double warmupFraction, long totalIterations) {
    public EmaMomentum {
        if (totalIterations < 1 || start < 0 || start > 1 || end < 0 || end > 1 || warmupFraction < 0 || warmupFraction > 1) {
            throw new IllegalArgumentException("invalid EMA momentum schedule");
        }
    }

    public double at(long iteration) {
        if (iteration < warmupFraction * totalIterations) {
            return start;
        }
        return end - (end - start) * (Math.cos(Math.PI * iteration / totalIterations) + 1) / 2;
    }
}
