package org.automixonnx.mixup;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.automixonnx.graphs.GraphIo;
import org.automixonnx.graphs.StepGraph;
import org.automixonnx.models.ImageClassifier;
import org.automixonnx.models.ModelZoo;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** AutoMix's step graphs build for every zoo family, not only ResNets (taps and heads come from ImageClassifier). */
class AutoMixZooModelsTest {
    @ParameterizedTest
    @ValueSource(strings = {"mobilenetv2-w0.1", "wrn-16-2-w0.5", "preact-resnet18-w0.0625", "resnext50-32x4d-w0.125",
            "deit-t-d2-p8-w0.25"})
    void stepGraphsBuild(String name) {
        ImageClassifier net = ModelZoo.create(name, 3, 4, true);
        AutoMixStepGraphs graphs = new AutoMixStepGraphs(net, 2, 3, 32, 32).seed(1);
        StepGraph mix = graphs.mixblockStep();
        StepGraph student = graphs.studentStep();
        assertTrue(mix.inputs().stream().map(GraphIo::name).anyMatch(n -> n.startsWith(AutoMixStepGraphs.TEACHER_PREFIX)));
        assertTrue(student.updatedState().stream().map(GraphIo::name).anyMatch(n -> n.equals("head_mix.weight")));
    }
}
