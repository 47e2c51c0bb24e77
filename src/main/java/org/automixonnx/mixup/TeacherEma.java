package org.automixonnx.mixup;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.automixonnx.graphs.GraphIo;
import org.automixonnx.graphs.Role;
import org.automixonnx.graphs.StepGraph;
import org.automixonnx.runtime.StateStore;

/**
 * AutoMix step 9: {@code teacher.<name> <- m teacher.<name> + (1 - m) <name>} for every PARAMETER of the student
 * step (backbone and both heads; BN statistics are not averaged). The pairs are checked once at construction:
 * every student parameter must have a teacher PARAMETER of the same shape in {@code mixblock_step}.
 *
 * <p>Each element is computed in double and rounded once, so a momentum close to 1 (0.999999) keeps its small
 * contribution instead of losing it to float32 rounding of {@code m} and of the product.
 */
public final class TeacherEma {
    private final List<String> names = new ArrayList<>();

    public TeacherEma(StepGraph studentStep, StepGraph mixblockStep) {
        Map<String, GraphIo> teacher = new HashMap<>();
        mixblockStep.inputsWithRole(Role.PARAMETER).forEach(io -> teacher.put(io.name(), io));
        List<String> problems = new ArrayList<>();
        for (GraphIo p : studentStep.inputsWithRole(Role.PARAMETER)) {
            GraphIo t = teacher.get(AutoMixStepGraphs.TEACHER_PREFIX + p.name());
            if (t == null || !t.shape().equals(p.shape())) {
                problems.add(p.name() + p.shape() + " -> " + (t == null ? "missing" : t.shape().toString()));
            } else {
                names.add(p.name());
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("student parameters without a matching teacher parameter: " + problems);
        }
    }

    /** Student parameter names, each averaged into {@code teacher.<name>}. */
    public List<String> parameterNames() {
        return List.copyOf(names);
    }

    /** One EMA step with momentum {@code m}; {@code teacher} holds {@code teacher.*} state, {@code student} the rest. */
    public void update(StateStore teacher, StateStore student, double m) {
        for (String name : names) {
            FloatBuffer t = teacher.floats(AutoMixStepGraphs.TEACHER_PREFIX + name);
            FloatBuffer s = student.floats(name);
            for (int i = 0, n = t.limit(); i < n; i++) {
                t.put(i, (float) (m * t.get(i) + (1 - m) * s.get(i)));
            }
        }
    }
}
