package org.automixonnx.mixup;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Method name -> training method ({@link MethodSpec}). {@link #standard()} holds every method automix-onnx ships
 * ({@link StandardMethods}): the one place that says which methods exist, their defaults and how each is built;
 * {@code --method}, {@code compare --methods}, config validation and checkpoint metadata read it.
 */
public final class MethodRegistry {
    private final Map<String, MethodSpec> methods = new LinkedHashMap<>();

    public MethodRegistry register(MethodSpec method) {
        if (methods.putIfAbsent(method.name(), method) != null) {
            throw new IllegalStateException("two methods registered as " + method.name());
        }
        return this;
    }

    /** The method called {@code name}; an unknown name fails with the known ones. */
    public MethodSpec get(String name) {
        MethodSpec m = methods.get(name);
        if (m == null) {
            throw new IllegalArgumentException("unknown method '" + name + "'; known: " + String.join(", ", names()));
        }
        return m;
    }

    /** The names in registration order. */
    public List<String> names() {
        return List.copyOf(methods.keySet());
    }

    /** The names of the methods that declare {@code need}, in registration order. */
    public List<String> namesNeeding(MethodNeed need) {
        return methods.values().stream().filter(m -> m.has(need)).map(MethodSpec::name).toList();
    }

    public Collection<MethodSpec> methods() {
        return Collections.unmodifiableCollection(methods.values());
    }

    /** The config section types the methods name, each once. */
    public Set<Class<? extends MethodOptions>> optionsTypes() {
        Set<Class<? extends MethodOptions>> types = new LinkedHashSet<>();
        methods.values().stream().map(MethodSpec::optionsType).filter(Objects::nonNull).forEach(types::add);
        return Collections.unmodifiableSet(types);
    }

    private static final MethodRegistry STANDARD = StandardMethods.register(new MethodRegistry());

    /** The registry with every built-in method. */
    public static MethodRegistry standard() {
        return STANDARD;
    }
}
