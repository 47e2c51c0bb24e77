package org.automixonnx.train;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.automixonnx.data.Batch;
import org.automixonnx.data.BatchLoader;
import org.automixonnx.graphs.GraphIo;
import org.automixonnx.mixup.Classifier;
import org.automixonnx.onnx.OnnxIO;
import org.automixonnx.runtime.DirectTensor;
import org.automixonnx.runtime.SessionFactory;

/**
 * Runs the method's classifiers over the test set and returns accuracy per metric name. Each
 * classifier's evaluation graph gets one ORT session for the whole run; its state is fed straight from
 * the training buffers (no copy).
 */
public final class Evaluator implements AutoCloseable {
    private final SessionFactory sessions;
    private final Map<Classifier, OrtSession> open = new IdentityHashMap<>();

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
        OrtSession s = session(c);
        Map<String, OnnxTensor> feeds = new HashMap<>();
        Map<String, Long> correct = new LinkedHashMap<>();
        c.correctOutputs().keySet().forEach(k -> correct.put(k, 0L));
        long seen = 0;
        try {
            feeds.putAll(stateFeeds(c, s.getInputNames()));
            for (Iterator<Batch> it = test.epoch(0); it.hasNext();) {
                Batch b = it.next();
                long[] shape = {b.size(), b.channels(), b.height(), b.width()};
                try (OnnxTensor x = OnnxTensor.createTensor(SessionFactory.env(), FloatBuffer.wrap(b.images()), shape);
                        OnnxTensor y = OnnxTensor.createTensor(SessionFactory.env(), LongBuffer.wrap(b.labels()),
                                new long[] {b.size()})) {
                    feeds.put(GraphIo.IMAGES, x);
                    feeds.put(GraphIo.LABELS, y);
                    try (OrtSession.Result r = s.run(feeds, correct.keySet())) {
                        for (String k : correct.keySet()) {
                            OnnxTensor t = (OnnxTensor) r.get(k).orElseThrow();
                            correct.merge(k, ((Number) t.getValue()).longValue(), Long::sum);
                        }
                    }
                }
                seen += b.size();
            }
        } catch (OrtException e) {
            throw new IllegalStateException("evaluating " + c.name() + " failed: " + e.getMessage(), e);
        } finally {
            feeds.remove(GraphIo.IMAGES);
            feeds.remove(GraphIo.LABELS);
            feeds.values().forEach(OnnxValue::close);
        }
        Map<String, Double> acc = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : c.correctOutputs().entrySet()) {
            acc.put(e.getValue(), seen == 0 ? 0.0 : correct.get(e.getKey()) / (double) seen);
        }
        return acc;
    }

    /** The classifier's state buffers that {@code inputs} names, wrapped for ORT without a copy (close them). */
    static Map<String, OnnxTensor> stateFeeds(Classifier c, Set<String> inputs) throws OrtException {
        Map<String, OnnxTensor> feeds = new HashMap<>();
        for (Map.Entry<String, DirectTensor> e : c.state().get().entrySet()) {
            if (inputs.contains(e.getKey())) {
                feeds.put(e.getKey(), e.getValue().wrapForOrt());
            }
        }
        return feeds;
    }

    private OrtSession session(Classifier c) {
        return open.computeIfAbsent(c, k -> {
            try {
                return sessions.create(OnnxIO.toBytes(k.evalGraph().model()));
            } catch (OrtException e) {
                throw new IllegalStateException("ONNX Runtime rejected evaluation graph of " + k.name() + ": "
                        + e.getMessage(), e);
            }
        });
    }

    @Override
    public void close() {
        for (OrtSession s : open.values()) {
            try {
                s.close();
            } catch (OrtException e) {
                // closing at shutdown: nothing left to do with the error
            }
        }
        open.clear();
    }
}
