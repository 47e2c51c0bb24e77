package org.automixonnx.mixup;

import java.util.List;

/**
 * A method's own section of the run config ({@code automix:}, {@code puzzlemix:}): a Jackson POJO whose public fields
 * are its YAML keys, named by its registry entry ({@link MethodSpec#optionsType()}) and checked by it.
 */
public interface MethodOptions {
    /**
     * Every value out of range, one message each naming its key ({@code automix.upsample must be ...}); empty when
     * all are valid.
     *
     * @param zooModel whether the run trains a zoo model (feature taps l1..l4) rather than a model file
     */
    List<String> problems(boolean zooModel);
}
