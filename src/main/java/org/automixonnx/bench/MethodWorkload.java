package org.automixonnx.bench;

import java.util.function.IntFunction;
import org.automixonnx.mixup.MixMethod;

/**
 * A whole training iteration of a mixup method to time: every graph it runs plus its Java orchestration
 * (sampling, masks, batch copies, e.g. AutoMix's MixBlock step, student step and EMA).
 *
 * @param method creates the method for the given total number of iterations (schedules depend on it)
 * @param image  C, H, W of the random batch
 */
public record MethodWorkload(String label, IntFunction<MixMethod> method, int batchSize, int classes, long[] image) {
    public MethodWorkload {
        image = image.clone();
    }
}
