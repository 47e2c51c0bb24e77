package org.automixonnx.train;

import org.automixonnx.graphs.Network;
import org.automixonnx.graphs.StepForm;
import org.automixonnx.mixup.MethodContext;
import org.automixonnx.mixup.MethodOptions;
import org.automixonnx.mixup.MethodRegistry;
import org.automixonnx.mixup.MethodSpec;
import org.automixonnx.mixup.MixMethod;
import org.automixonnx.mixup.SgdHyper;
import org.automixonnx.runtime.SessionFactory;

/** The training method a run config names: its entry in the method registry, and the method built from the config. */
public final class RunMethod {
    private RunMethod() {
    }

    /** The registered method called {@code name}; an unknown name fails with the known ones. */
    public static MethodSpec spec(String name) {
        try {
            return MethodRegistry.standard().get(name);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    /**
     * The method of {@code c} with the config's settings and the method's defaults for what the config leaves unset;
     * a model or setting the method cannot train with fails as a {@link ConfigException}.
     *
     * @param std per-channel std of the data's normalisation
     */
    public static MixMethod create(TrainConfig c, Network network, long[] image, float[] std, SessionFactory sessions,
            int iterationsPerEpoch) {
        MethodSpec spec = spec(c.method);
        MethodOptions options = spec.optionsType() == null ? null : c.methodOptions(spec.optionsType());
        double alpha = c.alpha != null ? c.alpha : spec.defaultAlpha();
        MethodContext context = new MethodContext(network, image, c.batchSize, c.seed, c.nesterov,
                new SgdHyper(c.momentum, c.weightDecay), sessions, std, c.epochs * (long) iterationsPerEpoch, alpha,
                c.featureTap, options, StepForm.FUSED);
        try {
            return spec.create(context);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
    }
}
