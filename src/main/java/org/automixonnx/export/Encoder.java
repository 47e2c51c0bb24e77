package org.automixonnx.export;

import java.util.LinkedHashMap;
import java.util.Map;
import org.automixonnx.onnx.Tensor;

/**
 * Which of a run's classifiers to export: {@code q}, the online classifier (state under its plain torchvision
 * names), or {@code k}, AutoMix's momentum teacher (state under {@code teacher.<name>}, as the AutoMix step
 * graphs store it). docs/automix.md deploys {@code k} with {@code head_one}.
 */
public enum Encoder {
    Q(""),
    K("teacher.");

    private final String prefix;

    Encoder(String prefix) {
        this.prefix = prefix;
    }

    public String prefix() {
        return prefix;
    }

    /** k when the run has a teacher, else q. */
    public static Encoder defaultFor(Map<String, Tensor> state) {
        return state.keySet().stream().anyMatch(k -> k.startsWith(K.prefix)) ? K : Q;
    }

    /** This encoder's tensors under their plain names. */
    public Map<String, Tensor> select(Map<String, Tensor> state) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        state.forEach((name, t) -> {
            if (this == Q ? !name.startsWith(K.prefix) : name.startsWith(prefix)) {
                out.put(name.substring(prefix.length()), t);
            }
        });
        if (out.isEmpty()) {
            throw new IllegalArgumentException("the run has no state for encoder " + name().toLowerCase()
                    + (this == K ? " (no '" + prefix + "*' tensors: not an AutoMix run? use --encoder q)" : ""));
        }
        return out;
    }

    public static Encoder parse(String s) {
        return switch (s.trim().toLowerCase()) {
            case "q" -> Q;
            case "k" -> K;
            default -> throw new IllegalArgumentException("unknown encoder '" + s + "' (k or q)");
        };
    }
}
