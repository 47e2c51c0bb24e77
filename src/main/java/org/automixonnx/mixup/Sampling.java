package org.automixonnx.mixup;

import java.util.SplittableRandom;

/** The random draws of mixing methods: Beta mixing ratios, batch permutations, normal noise. */
public final class Sampling {
    private Sampling() {
    }

    /** Beta(a, b) as X / (X + Y) with X ~ Gamma(a), Y ~ Gamma(b). */
    public static double beta(SplittableRandom r, double a, double b) {
        double x = gamma(r, a);
        double y = gamma(r, b);
        return x + y == 0 ? 0.5 : x / (x + y);
    }

    /**
     * Gamma(shape, 1) by Marsaglia and Tsang's method; shapes below 1 use the boost
     * Gamma(a) = Gamma(a + 1) * U^(1/a).
     */
    public static double gamma(SplittableRandom r, double shape) {
        if (shape <= 0) {
            throw new IllegalArgumentException("gamma shape must be > 0, got " + shape);
        }
        if (shape < 1) {
            double u = r.nextDouble();
            return gamma(r, shape + 1) * Math.pow(u, 1 / shape);
        }
        double d = shape - 1.0 / 3;
        double c = 1 / Math.sqrt(9 * d);
        while (true) {
            double x;
            double v;
            do {
                x = gaussian(r);
                v = 1 + c * x;
            } while (v <= 0);
            v = v * v * v;
            double u = r.nextDouble();
            if (u < 1 - 0.0331 * x * x * x * x || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) {
                return d * v;
            }
        }
    }

    /** A standard normal draw. */
    public static double gaussian(SplittableRandom r) {
        // Box-Muller; SplittableRandom has no nextGaussian on Java 17.
        double u1 = 1 - r.nextDouble();
        double u2 = r.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }

    /** A uniformly random permutation of 0..n-1 (Fisher-Yates). */
    public static long[] permutation(SplittableRandom r, int n) {
        long[] p = new long[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            long t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
