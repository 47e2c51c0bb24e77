package org.automixonnx.train;

/** Derives independent, reproducible seeds for each iteration's sampling (lambda, permutations, masks). */
final class BatchLoaderSeeds {
    private BatchLoaderSeeds() {
    }

    /** A well-mixed 64-bit seed from the run seed and the global iteration index. */
    static long iteration(long runSeed, long index) {
        long h = runSeed * 0xD1B54A32D192ED03L + (index + 1) * 0x9E3779B97F4A7C15L;
        h ^= h >>> 31;
        h *= 0xBF58476D1CE4E5B9L;
        h ^= h >>> 29;
        return h;
    }
}
