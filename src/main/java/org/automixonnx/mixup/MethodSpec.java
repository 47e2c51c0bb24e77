package org.automixonnx.mixup;

import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.automixonnx.models.ImageClassifier;

/**
 * A training method as the {@link MethodRegistry} knows it, written on its registration line in
 * {@link StandardMethods}: {@code MethodSpec.of(name, factory)} then what differs from the defaults.
 *
 * @param defaultAlpha Beta(alpha, alpha) of the mixing ratio when the config sets none; NaN: the method draws none
 * @param defaultMinLr final learning rate of the cosine schedule when the config sets none
 * @param needs        what it needs beyond a plain network ({@link MethodNeed})
 * @param optionsType  the class of its own config section, or null when it has none
 */
public record MethodSpec(String name, double defaultAlpha, double defaultMinLr, Set<MethodNeed> needs,
        Class<? extends MethodOptions> optionsType, MethodFactory factory) {

    public MethodSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(factory, "factory");
        needs = Set.copyOf(needs);
    }

    /** A method with no mixing ratio, min-lr 0, no needs and no options section. */
    public static MethodSpec of(String name, MethodFactory factory) {
        return new MethodSpec(name, Double.NaN, 0.0, Set.of(), null, factory);
    }

    public MethodSpec withAlpha(double alpha) {
        return new MethodSpec(name, alpha, defaultMinLr, needs, optionsType, factory);
    }

    public MethodSpec withMinLr(double minLr) {
        return new MethodSpec(name, defaultAlpha, minLr, needs, optionsType, factory);
    }

    public MethodSpec needing(MethodNeed... more) {
        Set<MethodNeed> all = needs.isEmpty() ? EnumSet.noneOf(MethodNeed.class) : EnumSet.copyOf(needs);
        all.addAll(List.of(more));
        return new MethodSpec(name, defaultAlpha, defaultMinLr, all, optionsType, factory);
    }

    public MethodSpec withOptions(Class<? extends MethodOptions> type) {
        return new MethodSpec(name, defaultAlpha, defaultMinLr, needs, type, factory);
    }

    public boolean has(MethodNeed need) {
        return needs.contains(need);
    }

    /** Builds the method; a network it cannot train fails here, with the method's name. */
    public MixMethod create(MethodContext context) {
        if (has(MethodNeed.IMAGE_CLASSIFIER) && !(context.network() instanceof ImageClassifier)) {
            throw new IllegalArgumentException("method " + name + " needs an image classifier with feature taps, got a "
                    + context.network().getClass().getSimpleName());
        }
        return factory.create(context);
    }
}
