package org.automixonnx.train;

import java.io.IOException;
import java.nio.file.Path;
import org.automixonnx.data.BatchLoader;
import org.automixonnx.graphs.Network;
import org.automixonnx.mixup.EvalSuiteGraph;
import org.automixonnx.mixup.MixMethod;
import org.automixonnx.onnx.HeapBudget;
import org.automixonnx.runtime.Device;
import org.automixonnx.runtime.SessionFactory;

/**
 * What training, evaluation and visualisation of a run all build from its config: the data, the input
 * shape, the network, the ORT session factory, and (on demand) loaders and the method.
 */
public record RunSetup(TrainConfig config, DataSets.Loaded data, long[] image, Network network,
        SessionFactory sessions) {

    /** A config given by the user: a relative model file is resolved against the working folder. */
    public static RunSetup of(TrainConfig config) throws IOException {
        return of(config, Path.of(""));
    }

    /** @param base folder a relative {@code modelFile} is resolved against (a run folder for its saved config) */
    public static RunSetup of(TrainConfig config, Path base) throws IOException {
        config.validate();
        DataSets.Loaded data = DataSets.load(config);
        Network network = ModelSource.create(config, base, data.inputShape(), data.train().numClasses());
        SessionFactory sessions = new SessionFactory(Device.parse(config.device), config.threads,
                config.profile == null ? null : Path.of(config.profile));
        return new RunSetup(config, data, data.inputShape(), network, sessions);
    }

    public BatchLoader trainLoader() {
        return new BatchLoader(data.train(), config.batchSize, true, true, data.trainTransform(), config.seed,
                config.loaderThreads);
    }

    public BatchLoader testLoader() {
        return new BatchLoader(data.test(), config.batchSize, false, false, data.testTransform(), config.seed,
                config.loaderThreads);
    }

    public MixMethod method(int iterationsPerEpoch) {
        return HeapBudget.during("building the graphs of " + config.method + " for " + config.modelName(),
                () -> RunMethod.create(config, network, image, data.std(), sessions, iterationsPerEpoch));
    }

    /** The end-of-training / {@code eval} suite with its default settings (FGSM 8/255, 15 bins, lam 0.5/0.7/0.9). */
    public EvalSuite evalSuite() {
        return new EvalSuite(sessions, image, data.mean(), data.std(), data.evalSet(), config.seed,
                EvalSuiteGraph.Settings.defaults());
    }

    public double minLr() {
        return config.minLr != null ? config.minLr : RunMethod.spec(config.method).defaultMinLr();
    }
}
