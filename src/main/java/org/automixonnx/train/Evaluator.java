package org.automixonnx.train;

import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.automixonnx.data.Batch;
import org.automixonnx.data.BatchLoader;
import org.automixonnx.mixup.Classifier;
import org.automixonnx.onnx.Tensor;
import org.automixonnx.runtime.DirectTensor;
import org.automixonnx.runtime.EvalRunner;
import org.automixonnx.runtime.SessionFactory;

/**
 * Runs the method's classifiers over the test set and returns accuracy per metric name. Each
 * classifier's evaluation graph gets one runner for the whole run; its state is fed straight from
 * the training buffers (no copy).
 */
public final class Evaluator implements AutoCloseable {
    private final SessionFactory sessions;
    private final Map<Classifier, EvalRunner> runners = new IdentityHashMap<>();

    public Evaluator(SessionFactory sessions) {
        this.sessions = sessions;
    }

    public Map<String, Double> evaluate(List<Classifier> classifiers, BatchLoader test) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (Classifier c : classifiers) {
            out.putAll(evaluate(c, test));
        }
        return out;
    }

    Map<String, Double> evaluate(Classifier c, BatchLoader test) {
        EvalRunner runner = runners.computeIfAbsent(c, k -> new EvalRunner(k.evalGraph(), sessions));
        Map<String, DirectTensor> state = c.state().get();
        Map<String, Long> correct = new LinkedHashMap<>();
        c.correctOutputs().keySet().forEach(k -> correct.put(k, 0L));
        long seen = 0;
        for (Iterator<Batch> it = test.epoch(0); it.hasNext();) {
            Batch b = it.next();
            long[] image = {b.channels(), b.height(), b.width()};
            Map<String, Tensor> out = runner.run(state, EvalRunner.labelledImages(b.images(), b.labels(), image),
                    correct.keySet());
            correct.replaceAll((k, sum) -> sum + out.get(k).longs()[0]);
            seen += b.size();
        }
        Map<String, Double> acc = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : c.correctOutputs().entrySet()) {
            acc.put(e.getValue(), seen == 0 ? 0.0 : correct.get(e.getKey()) / (double) seen);
        }
        return acc;
    }

    @Override
    public void close() {
        runners.values().forEach(EvalRunner::close);
        runners.clear();
    }
}
