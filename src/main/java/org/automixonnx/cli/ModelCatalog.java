package org.automixonnx.cli;

import java.util.List;
import java.util.Map;
import org.automixonnx.bench.MethodWorkload;
import org.automixonnx.bench.StepWorkload;
import org.automixonnx.graphs.ConvLowering;
import org.automixonnx.graphs.EvalGraph;
import org.automixonnx.graphs.Network;
import org.automixonnx.graphs.Sgd;
import org.automixonnx.graphs.StepGraph;
import org.automixonnx.graphs.TrainStepGraph;
import org.automixonnx.importer.ModelRef;
import org.automixonnx.runtime.SessionFactory;
import org.automixonnx.train.RunMethod;
import org.automixonnx.train.TrainConfig;

/**
 * Where the commands get their graphs from: the single place that connects the CLI to the model zoo and
 * the train-step builders.
 */
final class ModelCatalog {
    /** The reference CIFAR recipe's SGD settings (docs/automix.md), also what bench/torch_step.py uses. */
    static final Map<String, Double> SGD_DEFAULTS = Map.of(Sgd.LR, 0.1, Sgd.MOMENTUM, 0.9, Sgd.WEIGHT_DECAY, 5e-4);

    private ModelCatalog() {
    }

    private static Network network(ModelSpec spec) {
        try {
            return spec.model().resolve(spec.channels(), spec.classes(), false);
        } catch (IllegalArgumentException e) {
            throw new CliFailure(e.getMessage());
        }
    }

    private static long[] image(ModelSpec spec) {
        return new long[] {spec.channels(), spec.imageSize(), spec.imageSize()};
    }

    /**
     * Every graph the {@code graphs} command writes for a model: the SGD train step (its convs as the CPU runs
     * them) and the evaluation graph.
     */
    static List<StepGraph> graphs(ModelSpec spec) {
        return List.of(trainStep(spec, ConvLowering.AUTO), new EvalGraph(network(spec), image(spec)).build());
    }

    static StepGraph trainStep(ModelSpec spec, ConvLowering lowering) {
        return new TrainStepGraph(network(spec), new Sgd(false), spec.batchSize(), image(spec))
                .convLowering(lowering).build();
    }

    /**
     * A method's whole iteration for {@code bench --method}: built as {@code train} builds it, with the SGD
     * settings of {@link #SGD_DEFAULTS} (the PyTorch script's) and unit std for PuzzleMix's pixel-unit terms.
     */
    static MethodWorkload methodIteration(ModelSpec spec, String method, SessionFactory sessions) {
        TrainConfig c = new TrainConfig();
        ModelRef model = spec.model();
        if (model.file() != null) {
            c.modelFile = model.file().toString();
            c.featureTap = model.featureTap();
        } else {
            c.model = model.zooName();
        }
        c.method = method;
        c.batchSize = spec.batchSize();
        c.epochs = 1;
        c.momentum = SGD_DEFAULTS.get(Sgd.MOMENTUM);
        c.weightDecay = SGD_DEFAULTS.get(Sgd.WEIGHT_DECAY);
        RunMethod.spec(method);
        Network net = network(spec);
        long[] image = image(spec);
        float[] std = new float[spec.channels()];
        java.util.Arrays.fill(std, 1f);
        return new MethodWorkload(spec.model() + " " + method + " iteration",
                iterations -> RunMethod.create(c, net, image, std, sessions, iterations), spec.batchSize(),
                spec.classes(), image);
    }

    /** The vanilla train step that {@code bench} times (SGD momentum 0.9, weight decay 5e-4, CE loss). */
    static StepWorkload vanillaTrainStep(ModelSpec spec, SessionFactory sessions) {
        return new StepWorkload(spec.model() + " vanilla SGD step", trainStep(spec, sessions.convLowering()),
                spec.batchSize(), spec.classes(), SGD_DEFAULTS);
    }
}
