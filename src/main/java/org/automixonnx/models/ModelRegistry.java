package org.automixonnx.models;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Model name -> classifier builder. Each architecture family registers its names next to its definition (a static
 * {@code register(ModelRegistry)} in the family's class); {@link ModelZoo} holds the registry of every built-in family.
 * A name may end in {@code -w<multiplier>} (any registered name): the suffix is parsed here, once, and handed to the
 * builder as {@link ModelArgs#width()}.
 */
public final class ModelRegistry {
    /** Builds one architecture for the requested width, input channels, classes (and a family's name parameters). */
    @FunctionalInterface
    public interface Builder {
        ImageClassifier build(ModelArgs args);
    }

    /** A parametrised family: its names match {@code pattern}, whose groups are integers given to the builder. */
    private record Family(Pattern pattern, List<String> listed, Builder builder) {
    }

    private static final Pattern WIDTH_SUFFIX = Pattern.compile("(.+?)-w([0-9]*\\.?[0-9]+)");
    private static final int MAX_WIDTH = 4;

    private final Map<String, Builder> byName = new LinkedHashMap<>();
    private final Map<String, String> aliases = new LinkedHashMap<>();
    private final List<Family> families = new ArrayList<>();
    /** What {@link #names} lists, in registration order. */
    private final List<String> listed = new ArrayList<>();

    /** Registers one architecture under its name (lower case, without a width suffix). */
    public ModelRegistry register(String name, Builder builder) {
        claim(name);
        byName.put(name, builder);
        listed.add(name);
        return this;
    }

    /**
     * Registers a family whose names follow {@code pattern} (e.g. {@code wrn-(\d+)-(\d+)}: any depth and widening
     * factor; a group may be optional, e.g. {@code (?:-d(\d+))?}, see {@link ModelArgs#number}); {@code listed} are
     * the examples {@link #names} shows.
     */
    public ModelRegistry registerFamily(String pattern, List<String> listedNames, Builder builder) {
        Family f = new Family(Pattern.compile(pattern), List.copyOf(listedNames), builder);
        for (String n : f.listed()) {
            if (!f.pattern().matcher(n).matches()) {
                throw new IllegalStateException("listed model name " + n + " does not match its family " + pattern);
            }
            claim(n);
        }
        families.add(f);
        listed.addAll(f.listed());
        return this;
    }

    /** A second spelling of a registered name, accepted but not listed (names older versions accepted). */
    public ModelRegistry alias(String alias, String name) {
        if (!byName.containsKey(name)) {
            throw new IllegalStateException("alias " + alias + " for unregistered model " + name);
        }
        claim(alias);
        aliases.put(alias, name);
        return this;
    }

    private void claim(String name) {
        if (byName.containsKey(name) || aliases.containsKey(name) || listed.contains(name)) {
            throw new IllegalStateException("two models named " + name);
        }
    }

    /** The registered names, in registration order, without width suffixes (a family shows its examples). */
    public List<String> names() {
        return List.copyOf(listed);
    }

    /**
     * The classifier {@code name} stands for (case and surrounding blanks ignored).
     *
     * @param twoHeads {@code head_one} and {@code head_mix} (AutoMix) instead of the single head
     */
    public ImageClassifier create(String name, int channels, int classes, boolean twoHeads) {
        String base = name.trim().toLowerCase();
        double width = 1.0;
        Matcher suffix = WIDTH_SUFFIX.matcher(base);
        if (suffix.matches()) {
            base = suffix.group(1);
            width = Double.parseDouble(suffix.group(2));
        }
        Builder builder = byName.get(aliases.getOrDefault(base, base));
        List<Integer> numbers = List.of();
        for (int i = 0; builder == null && i < families.size(); i++) {
            Matcher m = families.get(i).pattern().matcher(base);
            if (m.matches()) {
                builder = families.get(i).builder();
                numbers = groups(m);
            }
        }
        if (builder == null) {
            throw new IllegalArgumentException("unknown model '" + name + "'; known: " + String.join(", ", names())
                    + " (append -w<multiplier> for a narrower variant, e.g. resnet18-cifar-w0.25)");
        }
        if (width <= 0 || width > MAX_WIDTH) {
            throw new IllegalArgumentException("width multiplier must be in (0, " + MAX_WIDTH + "], got " + width);
        }
        return builder.build(new ModelArgs(width, channels, classes, numbers)).withTwoHeads(twoHeads);
    }

    /** The captured integers; an optional group that did not match stays in its place as null. */
    private static List<Integer> groups(Matcher m) {
        List<Integer> out = new ArrayList<>();
        for (int g = 1; g <= m.groupCount(); g++) {
            out.add(m.group(g) == null ? null : Integer.valueOf(m.group(g)));
        }
        return out;
    }
}
