package org.automixonnx.mixup;

/** What a training method needs from the model and the run beyond a plain network, as its registry entry declares. */
public enum MethodNeed {
    /** An {@link org.automixonnx.models.ImageClassifier} (feature taps, heads over pooled features). */
    IMAGE_CLASSIFIER,
    /**
     * Two heads, {@code head_one} and {@code head_mix}: its checkpoints say {@code two_heads}, so that {@code export}
     * rebuilds the classifier with both and picks one.
     */
    TWO_HEADS,
    /** A learned MixBlock in its state: {@code visualize} can draw the masks it generates. */
    MIX_BLOCK
}
