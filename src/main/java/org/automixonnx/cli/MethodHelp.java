package org.automixonnx.cli;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.ListResourceBundle;
import java.util.Map;
import java.util.stream.Collectors;
import org.automixonnx.mixup.MethodRegistry;
import org.automixonnx.mixup.MethodSpec;
import org.automixonnx.train.TrainConfig;

/**
 * The help texts that describe the registered methods' defaults, as a resource bundle: the commands whose options
 * quote them load it ({@code resourceBundle = MethodHelp.NAME}) and the descriptions read it with
 * {@code ${bundle:KEY}}. Written from the method registry, so that help never lists a method or a default by hand;
 * public, as {@link java.util.ResourceBundle} instantiates it.
 */
public final class MethodHelp extends ListResourceBundle {
    /** The bundle's name for {@code @Command(resourceBundle = ...)}. */
    static final String NAME = "org.automixonnx.cli.MethodHelp";
    /** The method a run trains when none is given. */
    static final String DEFAULT_METHOD = "method.default";
    /** Every method's default Beta alpha: {@code automix 2, mixup 1, ...} (methods that draw no ratio left out). */
    static final String ALPHAS = "method.alphas";
    /** Every method's default final learning rate: {@code automix 0.05, the others 0}. */
    static final String MIN_LRS = "method.minLrs";

    @Override
    protected Object[][] getContents() {
        Collection<MethodSpec> methods = MethodRegistry.standard().methods();
        return new Object[][] {
            {DEFAULT_METHOD, new TrainConfig().method},
            {ALPHAS, methods.stream().filter(m -> !Double.isNaN(m.defaultAlpha()))
                    .map(m -> m.name() + " " + number(m.defaultAlpha())).collect(Collectors.joining(", "))},
            {MIN_LRS, minLrs(methods)},
        };
    }

    /** Each method whose min-lr differs from the one most methods share, then that one as "the others". */
    private static String minLrs(Collection<MethodSpec> methods) {
        Map<Double, Long> counts = methods.stream()
                .collect(Collectors.groupingBy(MethodSpec::defaultMinLr, Collectors.counting()));
        double common = counts.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
        List<String> parts = new ArrayList<>();
        methods.stream().filter(m -> m.defaultMinLr() != common)
                .forEach(m -> parts.add(m.name() + " " + number(m.defaultMinLr())));
        parts.add((parts.isEmpty() ? "every method " : "the others ") + number(common));
        return String.join(", ", parts);
    }

    /** 2.0 -> 2, 0.05 -> 0.05. */
    private static String number(double v) {
        return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }
}
