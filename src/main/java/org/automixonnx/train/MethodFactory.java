package org.automixonnx.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.automixonnx.graphs.Network;
import org.automixonnx.mixup.AutoMix;
import org.automixonnx.mixup.CutBoxMask;
import org.automixonnx.mixup.FMixMask;
import org.automixonnx.mixup.GridMixMask;
import org.automixonnx.mixup.ManifoldMixMask;
import org.automixonnx.mixup.MaskGenerator;
import org.automixonnx.mixup.MixBlock;
import org.automixonnx.mixup.MixMethod;
import org.automixonnx.mixup.MixUpMask;
import org.automixonnx.mixup.PuzzleMix;
import org.automixonnx.mixup.PuzzleMixer;
import org.automixonnx.mixup.ResizeMixMask;
import org.automixonnx.mixup.SampleMixMethod;
import org.automixonnx.models.ImageClassifier;
import org.automixonnx.mixup.SgdHyper;
import org.automixonnx.mixup.Vanilla;
import org.automixonnx.runtime.SessionFactory;

/** {@code --method} names -> training methods, with each method's defaults (min-lr, alpha). */
public final class MethodFactory {
    /**
     * A sample-level baseline: its mask generator and its Beta(alpha, alpha) default (docs/automix.md, "The
     * sample-level baselines").
     */
    public record SampleMethod(double defaultAlpha, Function<ImageClassifier, MaskGenerator> generator) {
    }

    private static final double AUTOMIX_ALPHA = 2.0;
    /** PuzzleMix's reference CIFAR recipe (mixup_alpha 1). */
    private static final double PUZZLEMIX_ALPHA = 1.0;
    private static final Map<String, SampleMethod> SAMPLE_LEVEL = new LinkedHashMap<>();

    static {
        SAMPLE_LEVEL.put("mixup", new SampleMethod(1.0, net -> new MixUpMask()));
        SAMPLE_LEVEL.put("cutmix", new SampleMethod(0.2, net -> CutBoxMask.cutMix()));
        SAMPLE_LEVEL.put("manifoldmix", new SampleMethod(2.0, ManifoldMixMask::forClassifier));
        SAMPLE_LEVEL.put("fmix", new SampleMethod(0.2, net -> new FMixMask()));
        SAMPLE_LEVEL.put("resizemix", new SampleMethod(1.0, net -> new ResizeMixMask()));
        SAMPLE_LEVEL.put("saliencymix", new SampleMethod(0.2, net -> CutBoxMask.saliencyMix()));
        SAMPLE_LEVEL.put("gridmix", new SampleMethod(0.2, net -> new GridMixMask()));
    }

    private MethodFactory() {
    }

    public static List<String> names() {
        List<String> all = new ArrayList<>(List.of("automix", "vanilla"));
        all.addAll(SAMPLE_LEVEL.keySet());
        all.add("puzzlemix");
        return all;
    }

    /** The sample-level method called {@code name} (mixup, cutmix, ...); fails for other names. */
    public static SampleMethod sampleLevel(String name) {
        SampleMethod m = SAMPLE_LEVEL.get(name);
        if (m == null) {
            throw new ConfigException("'" + name + "' is not a sample-level method; those are "
                    + String.join(", ", SAMPLE_LEVEL.keySet()));
        }
        return m;
    }

    /** Fails with the known names when {@code method} is not one of them. */
    public static void check(String method) {
        if (!names().contains(method)) {
            throw new ConfigException("unknown method '" + method + "'; known: " + String.join(", ", names()));
        }
    }

    /** The Beta(alpha, alpha) parameter a method uses when the config sets none; vanilla has none (NaN). */
    public static double defaultAlpha(String method) {
        check(method);
        return switch (method) {
            case "automix" -> AUTOMIX_ALPHA;
            case "vanilla" -> Double.NaN;
            case "puzzlemix" -> PUZZLEMIX_ALPHA;
            default -> sampleLevel(method).defaultAlpha();
        };
    }

    /** The cosine schedule's final learning rate when the config does not set one. */
    public static double defaultMinLr(String method) {
        return method.equals("automix") ? 0.05 : 0.0;
    }

    static double alpha(TrainConfig c, double methodDefault) {
        return c.alpha != null ? c.alpha : methodDefault;
    }

    private static ImageClassifier classifier(Network n, TrainConfig c) {
        if (n instanceof ImageClassifier r) {
            return r;
        }
        throw new ConfigException("method " + c.method + " needs an image classifier with feature taps, got "
                + c.modelName());
    }

    /** AutoMix settings from the config: alpha 2, tap, MixBlock options, margin, beta and EMA schedules. */
    static AutoMix.Settings autoMixSettings(TrainConfig c, long totalIterations) {
        TrainConfig.AutoMixOptions a = c.automix;
        if (c.autoMixTap() == null) {
            throw new ConfigException("method automix with a model file needs --feature-tap TENSOR: the feature map "
                    + "the MixBlock reads, e.g. the output of the network's third stage");
        }
        MaskLossWeight beta = new MaskLossWeight(MaskLossWeight.Kind.valueOf(a.maskLossSchedule.toUpperCase()),
                a.maskLossWeight, totalIterations);
        EmaMomentum ema = new EmaMomentum(a.emaStart, a.emaEnd, a.emaWarmupFraction, totalIterations);
        MixBlock.Options mb = new MixBlock.Options(a.lamConcat, MixBlock.Upsampling.valueOf(a.upsample.toUpperCase()));
        return new AutoMix.Settings(alpha(c, AUTOMIX_ALPHA), c.autoMixTap(), mb, a.lamMargin, beta::at, ema::at);
    }

    /** PuzzleMix settings from the config (defaults: the reference's CIFAR recipe). */
    static PuzzleMixer.Settings puzzleMixSettings(TrainConfig c) {
        TrainConfig.PuzzleMixOptions p = c.puzzlemix;
        return new PuzzleMixer.Settings(p.beta, p.gamma, p.eta, p.neighbourhood, p.labels, p.transport,
                p.transportCell, p.transportEps);
    }

    /** @param std per-channel std of the data's normalisation (PuzzleMix's smoothness term works in pixel units) */
    public static MixMethod create(TrainConfig c, Network network, long[] image, float[] std, SessionFactory sessions,
            int iterationsPerEpoch) {
        SgdHyper hyper = new SgdHyper(c.momentum, c.weightDecay);
        return switch (c.method) {
            case "vanilla" -> new Vanilla(network, c.batchSize, image, c.seed, c.nesterov, hyper, sessions);
            case "automix" -> new AutoMix(classifier(network, c), c.batchSize, image, c.seed, c.nesterov, hyper,
                    autoMixSettings(c, c.epochs * (long) iterationsPerEpoch), sessions);
            case "puzzlemix" -> new PuzzleMix(classifier(network, c), c.batchSize, image, c.seed, c.nesterov, hyper,
                    alpha(c, PUZZLEMIX_ALPHA), puzzleMixSettings(c), std, sessions);
            default -> {
                check(c.method);
                SampleMethod m = sampleLevel(c.method);
                ImageClassifier net = classifier(network, c);
                MaskGenerator generator;
                try {
                    generator = m.generator().apply(net);
                } catch (IllegalArgumentException e) {
                    throw new ConfigException(e.getMessage());
                }
                yield new SampleMixMethod(c.method, generator, alpha(c, m.defaultAlpha()),
                        classifier(network, c), c.batchSize, image, c.seed, c.nesterov, hyper, sessions);
            }
        };
    }
}
