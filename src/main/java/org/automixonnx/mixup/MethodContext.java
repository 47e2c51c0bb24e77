package org.automixonnx.mixup;

import org.automixonnx.graphs.Network;
import org.automixonnx.graphs.StepForm;
import org.automixonnx.models.ImageClassifier;
import org.automixonnx.runtime.SessionFactory;

/**
 * Everything a method's factory builds the method from: the model, the data's shape, the optimizer, the run's
 * length and the method's settings, resolved from the run config (a method reads only what it needs).
 *
 * @param network         the model to train; an {@link ImageClassifier} for methods that need one
 * @param image           C, H, W of one image
 * @param batchSize       images per step
 * @param seed            seeds the initialisers of the method's graphs
 * @param nesterov        Nesterov momentum, built into the step graphs
 * @param hyper           SGD momentum and weight decay, fed with the learning rate every step
 * @param sessions        the ORT session factory
 * @param std             per-channel std of the data's normalisation (PuzzleMix's smoothness works in pixel units)
 * @param totalIterations iterations of the whole run (AutoMix's schedules run over them)
 * @param alpha           Beta(alpha, alpha) of the mixing ratio: the config's, else the method's default
 * @param featureTap      the tensor a model file names as feature map ({@code --feature-tap}); null for zoo models
 *                        and for a model file that names none
 * @param options         the method's own config section ({@link MethodSpec#optionsType()}); null when it has none
 * @param form            how the method's train steps apply their optimizer: fused into one graph (one worker), or
 *                        split into gradient and optimizer graphs (data-parallel workers average between the two)
 */
public record MethodContext(Network network, long[] image, int batchSize, long seed, boolean nesterov, SgdHyper hyper,
        SessionFactory sessions, float[] std, long totalIterations, double alpha, String featureTap,
        MethodOptions options, StepForm form) {

    /** This context with its train steps in {@code stepForm}. */
    public MethodContext withForm(StepForm stepForm) {
        return new MethodContext(network, image, batchSize, seed, nesterov, hyper, sessions, std, totalIterations,
                alpha, featureTap, options, stepForm);
    }

    /** The network as an image classifier; the method's entry declares {@link MethodNeed#IMAGE_CLASSIFIER}. */
    public ImageClassifier classifier() {
        if (network instanceof ImageClassifier c) {
            return c;
        }
        throw new IllegalStateException("a method whose entry does not declare " + MethodNeed.IMAGE_CLASSIFIER
                + " asked for an image classifier; the network is a " + network.getClass().getSimpleName());
    }

    /** The method's own config section as {@code type}; fails when the context carries another or none. */
    public <T extends MethodOptions> T options(Class<T> type) {
        if (!type.isInstance(options)) {
            throw new IllegalStateException("the method reads its " + type.getSimpleName() + " but the context carries "
                    + (options == null ? "no options" : options.getClass().getSimpleName())
                    + " (does its registry entry name the options type?)");
        }
        return type.cast(options);
    }
}
