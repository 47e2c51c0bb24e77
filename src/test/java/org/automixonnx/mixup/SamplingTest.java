package org.automixonnx.mixup;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SamplingTest {
    /** Mean a/(a+b) and variance ab/((a+b)^2 (a+b+1)) of Beta(a, b), for shapes below and above 1. */
    @Test
    void betaHasTheRightMoments() {
        for (double[] ab : new double[][] {{2, 2}, {0.2, 0.2}, {1, 1}, {0.5, 3}}) {
            double a = ab[0];
            double b = ab[1];
            SplittableRandom r = new SplittableRandom(11);
            int n = 200_000;
            double sum = 0;
            double sq = 0;
            for (int i = 0; i < n; i++) {
                double x = Sampling.beta(r, a, b);
                assertTrue(x >= 0 && x <= 1);
                sum += x;
                sq += x * x;
            }
            double mean = sum / n;
            double var = sq / n - mean * mean;
            assertEquals(a / (a + b), mean, 0.005, "mean of Beta(" + a + "," + b + ")");
            assertEquals(a * b / ((a + b) * (a + b) * (a + b + 1)), var, 0.003, "variance of Beta(" + a + "," + b + ")");
        }
    }

    @Test
    void permutationsAreUniformAndReproducible() {
        SplittableRandom r = new SplittableRandom(3);
        int n = 5;
        int[][] counts = new int[n][n];
        for (int t = 0; t < 50_000; t++) {
            long[] p = Sampling.permutation(r, n);
            long[] sorted = p.clone();
            Arrays.sort(sorted);
            assertArrayEquals(new long[] {0, 1, 2, 3, 4}, sorted);
            for (int i = 0; i < n; i++) {
                counts[i][(int) p[i]]++;
            }
        }
        for (int[] row : counts) {
            for (int c : row) {
                assertEquals(10_000, c, 400);
            }
        }
        assertArrayEquals(Sampling.permutation(new SplittableRandom(9), 20), Sampling.permutation(new SplittableRandom(9), 20));
    }
}
