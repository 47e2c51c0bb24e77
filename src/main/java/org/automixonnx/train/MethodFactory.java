package org.automixonnx.train;

import java.util.List;
import org.automixonnx.graphs.Network;
import org.automixonnx.mixup.MixMethod;
import org.automixonnx.mixup.SgdHyper;
import org.automixonnx.mixup.Vanilla;
import org.automixonnx.runtime.SessionFactory;

/** {@code --method} names -> training methods, with each method's defaults (min-lr, alpha). */
public final class MethodFactory {
    private MethodFactory() {
    }

    public static List<String> names() {
        return List.of("vanilla");
    }

    /** Fails with the known names when {@code method} is not one of them. */
    public static void check(String method) {
        if (!names().contains(method)) {
            throw new ConfigException("unknown method '" + method + "'; known: " + String.join(", ", names()));
        }
    }

    /** The cosine schedule's final learning rate when the config does not set one. */
    public static double defaultMinLr(String method) {
        return method.equals("automix") ? 0.05 : 0.0;
    }

    public static MixMethod create(TrainConfig c, Network network, long[] image, SessionFactory sessions) {
        SgdHyper hyper = new SgdHyper(c.momentum, c.weightDecay);
        return switch (c.method) {
            case "vanilla" -> new Vanilla(network, c.batchSize, image, c.seed, c.nesterov, hyper, sessions);
            default -> throw new ConfigException("unknown method '" + c.method + "'; known: " + String.join(", ", names()));
        };
    }
}
