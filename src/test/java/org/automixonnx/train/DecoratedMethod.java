package org.automixonnx.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.automixonnx.data.Batch;
import org.automixonnx.graphs.StepGraph;
import org.automixonnx.mixup.Classifier;
import org.automixonnx.mixup.Iteration;
import org.automixonnx.mixup.MixMethod;
import org.automixonnx.runtime.StateStore;

/**
 * A method that delegates everything and records each step's losses by global iteration; {@code step} may be
 * replaced for chosen iterations to inject faults ({@code fault} returns null to run the real step).
 */
final class DecoratedMethod implements MixMethod {
    /** One recorded step: its global index and its loss terms. */
    record Step(long index, Map<String, Double> losses) {
    }

    private final MixMethod inner;
    private final BiFunction<MixMethod, Iteration, Map<String, Double>> fault;
    final List<Step> steps = new ArrayList<>();

    DecoratedMethod(MixMethod inner, BiFunction<MixMethod, Iteration, Map<String, Double>> fault) {
        this.inner = inner;
        this.fault = fault;
    }

    DecoratedMethod(MixMethod inner) {
        this(inner, (m, it) -> null);
    }

    @Override
    public Map<String, Double> step(Batch batch, Iteration it) {
        Map<String, Double> faulty = fault.apply(inner, it);
        Map<String, Double> losses = faulty != null ? faulty : inner.step(batch, it);
        steps.add(new Step(it.index(), Map.copyOf(losses)));
        return losses;
    }

    /** Writes NaN into element 0 of every float state tensor (the step that follows diverges). */
    static void poison(MixMethod m) {
        for (StateStore s : m.state().values()) {
            for (org.automixonnx.runtime.DirectTensor t : s.tensors()) {
                if (t.dtype() == org.automixonnx.onnx.DType.FLOAT) {
                    t.floats().put(0, Float.NaN);
                }
            }
        }
    }

    @Override
    public String name() {
        return inner.name();
    }

    @Override
    public List<StepGraph> graphs() {
        return inner.graphs();
    }

    @Override
    public Map<String, StateStore> state() {
        return inner.state();
    }

    @Override
    public void snapshot() {
        inner.snapshot();
    }

    @Override
    public void rollback() {
        inner.rollback();
    }

    @Override
    public String primaryMetric() {
        return inner.primaryMetric();
    }

    @Override
    public List<Classifier> classifiers() {
        return inner.classifiers();
    }

    @Override
    public void close() {
        inner.close();
    }
}
