package org.automixonnx.mixup;

import java.util.List;
import java.util.SplittableRandom;

/**
 * The part of a sample-level mixup method that is its own: how one iteration's mix is drawn from the ratio
 * {@code lam ~ Beta(alpha, alpha)} and the pairing. {@link SampleMixMethod} does the rest for every method (drawing
 * lam and the permutation, feeding the shared {@link SampleMixStep} graph, evaluation, state).
 */
public interface MaskGenerator {
    /**
     * Where the step graphs mix, one graph each: {@link SampleMixStep#INPUT} (the default) or feature taps;
     * {@link MixDraw#site()} indexes this list.
     */
    default List<String> sites() {
        return List.of(SampleMixStep.INPUT);
    }

    /** true: the mask is a map of H x W pixels; false: one ratio (MixUp, ManifoldMix). */
    boolean pixelMask();

    /**
     * Draws the rest of the iteration. Every random draw comes from {@code rng} (so a run is a function of its
     * seed); {@code pairing} must not be modified.
     */
    MixDraw draw(SplittableRandom rng, double lam, Pairing pairing);
}
