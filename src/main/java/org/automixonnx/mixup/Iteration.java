package org.automixonnx.mixup;

import java.util.SplittableRandom;

/**
 * Where training is when a method runs an iteration: epoch, global iteration index out of the total,
 * the epoch's learning rate, and the iteration's own random generator (derived from the run seed and the
 * iteration index, so resuming mid-run draws the same lambdas and permutations).
 */
public record Iteration(int epoch, long index, long total, double lr, SplittableRandom rng) {
}
