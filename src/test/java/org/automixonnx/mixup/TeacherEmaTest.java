package org.automixonnx.mixup;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import org.automixonnx.graphs.Role;
import org.automixonnx.graphs.Sgd;
import org.automixonnx.graphs.StepGraph;
import org.automixonnx.models.ResNet;
import org.automixonnx.models.ResNetConfig;
import org.automixonnx.runtime.StateStore;
import org.automixonnx.testing.FixtureFile;
import org.junit.jupiter.api.Test;

/** The teacher EMA pairs every student parameter with {@code teacher.<name>} and leaves everything else alone. */
class TeacherEmaTest {
    @Test
    void averagesParametersOnly() throws Exception {
        FixtureFile fx = FixtureFile.read(Path.of("testdata/fixtures/automix_iteration.bin"));
        ResNet net = new ResNet(ResNetConfig.resnet18Cifar(10).withBlocks(1, 1, 1, 1).withBaseWidth(8));
        AutoMixStepGraphs graphs = new AutoMixStepGraphs(net, 4, 3, 16, 16).initialState(fx.withPrefix("init."));
        StepGraph student = graphs.studentStep();
        StepGraph mix = graphs.mixblockStep();
        TeacherEma ema = new TeacherEma(student, mix);
        assertEquals(student.inputsWithRole(Role.PARAMETER).size(), ema.parameterNames().size());
        assertEquals(true, ema.parameterNames().contains("head_one.weight"));

        StateStore teacher = StateStore.initial(mix);
        StateStore studentState = StateStore.initial(student);
        double m = 0.75;
        ema.update(teacher, studentState, m);
        for (String name : mix.initialState().keySet()) {
            double[] before = mix.initialState().get(name).asDoubles();
            double[] after = teacher.get(name).asDoubles();
            String plain = name.substring(name.indexOf('.') + 1);
            if (name.startsWith("teacher.") && ema.parameterNames().contains(plain)) {
                double[] s = student.initialState().get(plain).asDoubles();
                for (int i = 0; i < after.length; i++) {
                    assertEquals(m * before[i] + (1 - m) * s[i], after[i], 1e-6 * (1 + Math.abs(before[i])), name);
                }
            } else {
                assertArrayEquals(before, after, 0.0, name + " must not change");
            }
        }
    }

    @Test
    void rejectsAStudentWithoutTeacher() {
        ResNet net = new ResNet(ResNetConfig.resnet18Cifar(10).withBlocks(1, 1, 1, 1).withBaseWidth(8));
        StepGraph student = new SampleMixStep(net, new Sgd(false), 2, 3, 16, 16).build();
        StepGraph mix = new AutoMixStepGraphs(net, 2, 3, 16, 16).mixblockStep();
        assertThrows(IllegalArgumentException.class, () -> new TeacherEma(student, mix));
    }
}
