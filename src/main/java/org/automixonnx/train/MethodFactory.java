package org.automixonnx.train;

import java.util.List;
import org.automixonnx.graphs.Network;
import org.automixonnx.mixup.AutoMix;
import org.automixonnx.mixup.MixBlock;
import org.automixonnx.mixup.MixMethod;
import org.automixonnx.mixup.MixUp;
import org.automixonnx.models.ImageClassifier;
import org.automixonnx.mixup.SgdHyper;
import org.automixonnx.mixup.Vanilla;
import org.automixonnx.runtime.SessionFactory;

/** {@code --method} names -> training methods, with each method's defaults (min-lr, alpha). */
public final class MethodFactory {
    private MethodFactory() {
    }

    public static List<String> names() {
        return List.of("automix", "vanilla", "mixup");
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

    static double alpha(TrainConfig c, double methodDefault) {
        return c.alpha != null ? c.alpha : methodDefault;
    }

    private static ImageClassifier resnet(Network n, TrainConfig c) {
        if (n instanceof ImageClassifier r) {
            return r;
        }
        throw new ConfigException("method " + c.method + " needs a zoo model with feature taps, got " + c.model);
    }

    /** AutoMix settings from the config: alpha 2, tap, MixBlock options, margin, beta and EMA schedules. */
    static AutoMix.Settings autoMixSettings(TrainConfig c, long totalIterations) {
        TrainConfig.AutoMixOptions a = c.automix;
        MaskLossWeight beta = new MaskLossWeight(MaskLossWeight.Kind.valueOf(a.maskLossSchedule.toUpperCase()),
                a.maskLossWeight, totalIterations);
        EmaMomentum ema = new EmaMomentum(a.emaStart, a.emaEnd, a.emaWarmupFraction, totalIterations);
        MixBlock.Options mb = new MixBlock.Options(a.lamConcat, MixBlock.Upsampling.valueOf(a.upsample.toUpperCase()));
        return new AutoMix.Settings(alpha(c, 2.0), a.tap, mb, a.lamMargin, beta::at,
                ema::at);
    }

    public static MixMethod create(TrainConfig c, Network network, long[] image, SessionFactory sessions,
            int iterationsPerEpoch) {
        SgdHyper hyper = new SgdHyper(c.momentum, c.weightDecay);
        return switch (c.method) {
            case "vanilla" -> new Vanilla(network, c.batchSize, image, c.seed, c.nesterov, hyper, sessions);
            case "mixup" -> new MixUp(resnet(network, c), c.batchSize, image, c.seed, c.nesterov, hyper,
                    alpha(c, 1.0), sessions);
            case "automix" -> new AutoMix(resnet(network, c), c.batchSize, image, c.seed, c.nesterov, hyper,
                    autoMixSettings(c, c.epochs * (long) iterationsPerEpoch), sessions);
            default -> throw new ConfigException("unknown method '" + c.method + "'; known: " + String.join(", ", names()));
        };
    }
}
