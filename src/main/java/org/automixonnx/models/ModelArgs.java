package org.automixonnx.models;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What a {@link ModelRegistry.Builder} builds for.
 *
 * @param width    width multiplier from the name's {@code -w<multiplier>} suffix (1 without one)
 * @param channels image channels
 * @param classes  classes of the head(s)
 * @param numbers  the integers a family's name pattern captured, one per group in order (e.g. a Wide-ResNet's depth
 *                 and widening factor); null for an optional group the name left out; empty for a name registered as
 *                 it is
 */
public record ModelArgs(double width, int channels, int classes, List<Integer> numbers) {
    public ModelArgs {
        numbers = Collections.unmodifiableList(new ArrayList<>(numbers));
    }

    /** The integer of group {@code index} (0-based), or {@code absent} when the name left that optional part out. */
    public int number(int index, int absent) {
        Integer n = numbers.get(index);
        return n == null ? absent : n;
    }
}
