package org.automixonnx.data;

import java.util.SplittableRandom;

/** One augmentation step. Randomness comes only from the given generator, so a seed fixes the result. */
@FunctionalInterface
public interface Transform {
    void apply(ImageBuffer img, SplittableRandom rng);
}
