package org.automixonnx.mixup;

import org.automixonnx.graphs.Sgd;
import org.automixonnx.runtime.TrainStepRunner;

/** Sets the SGD hyper-parameters of a step runner (same settings for every optimised module by default). */
public record SgdHyper(double momentum, double weightDecay) {
    public void apply(TrainStepRunner runner, double lr) {
        runner.setHyper(Sgd.LR, lr);
        runner.setHyper(Sgd.MOMENTUM, momentum);
        runner.setHyper(Sgd.WEIGHT_DECAY, weightDecay);
    }
}
