package org.automixonnx.train;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.automixonnx.data.BatchLoader;
import org.automixonnx.graphs.Network;
import org.automixonnx.mixup.MixMethod;
import org.automixonnx.models.ModelZoo;
import org.automixonnx.runtime.Device;
import org.automixonnx.runtime.SessionFactory;

/** Sets up and runs a training run from a resolved config: data, model, method, loaders, loop. */
public final class TrainService {
    private final PrintWriter out;

    public TrainService(PrintWriter out) {
        this.out = out;
    }

    public List<EpochRecord> train(TrainConfig config, Path runDir, boolean force) throws IOException {
        config.validate();
        MethodFactory.check(config.method);
        DataSets.Loaded data = DataSets.load(config);
        long[] image = data.inputShape();
        Network network;
        try {
            network = ModelZoo.create(config.model, data.train().channels(), data.train().numClasses());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
        RunFolder run = RunFolder.open(runDir, false, force);
        run.writeConfig(config);
        SessionFactory sessions = new SessionFactory(Device.parse(config.device), config.threads, null);
        double minLr = config.minLr != null ? config.minLr : MethodFactory.defaultMinLr(config.method);
        out.printf("training %s on %s (%d train / %d test images, %s) with %s for %d epochs -> %s%n", config.model,
                data.name(), data.train().size(), data.test().size(), image[0] + "x" + image[1] + "x" + image[2],
                config.method, config.epochs, runDir);
        try (BatchLoader train = new BatchLoader(data.train(), config.batchSize, true, true, data.trainTransform(),
                        config.seed, config.loaderThreads);
                MixMethod method = MethodFactory.create(config, network, image, sessions, train.batchesPerEpoch());
                BatchLoader test = new BatchLoader(data.test(), config.batchSize, false, false, data.testTransform(),
                        config.seed, config.loaderThreads);
                Evaluator evaluator = new Evaluator(sessions)) {
            try {
                return new Trainer(config, run, method, train, test, evaluator, out, minLr).run();
            } catch (RuntimeException | IOException e) {
                run.status("failed", Map.of("error", String.valueOf(e.getMessage())));
                throw e;
            }
        }
    }
}
