package org.automixonnx.cli;

import java.util.List;
import org.automixonnx.bench.StepWorkload;
import org.automixonnx.graphs.StepGraph;

/**
 * Where the commands get their graphs from: the single place that connects the CLI to the model zoo and
 * the train-step builders.
 *
 * <p>WIRING POINT: the model builders (ResNet-18, SGD/AdamW train steps) are not merged yet, so both
 * methods fail with {@link #notAvailable}. Replace their bodies with calls to the builders.
 */
final class ModelCatalog {
    private ModelCatalog() {
    }

    /** Every graph the {@code graphs} command writes for a model (train step, evaluation, export...). */
    static List<StepGraph> graphs(ModelSpec spec) {
        throw notAvailable(spec);
    }

    /**
     * The vanilla train step that {@code bench} times (SGD with momentum 0.9, weight decay 5e-4, CE loss),
     * with the hyper-parameter values to run it at.
     */
    static StepWorkload vanillaTrainStep(ModelSpec spec) {
        throw notAvailable(spec);
    }

    private static CliFailure notAvailable(ModelSpec spec) {
        return new CliFailure("model '" + spec.model() + "': the model and train-step builders are not available yet "
                + "in this build");
    }
}
