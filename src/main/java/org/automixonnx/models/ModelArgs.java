package org.automixonnx.models;

import java.util.List;

/**
 * What a {@link ModelRegistry.Builder} builds for.
 *
 * @param width    width multiplier from the name's {@code -w<multiplier>} suffix (1 without one)
 * @param channels image channels
 * @param classes  classes of the head(s)
 * @param numbers  the integers a family's name pattern captured, in order (e.g. a Wide-ResNet's depth and widening
 *                 factor); empty for a name registered as it is
 */
public record ModelArgs(double width, int channels, int classes, List<Integer> numbers) {
    public ModelArgs {
        numbers = List.copyOf(numbers);
    }
}
