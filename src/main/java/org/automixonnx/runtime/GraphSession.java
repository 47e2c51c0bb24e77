package org.automixonnx.runtime;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.automixonnx.onnx.DType;
import org.automixonnx.onnx.Model;
import org.automixonnx.onnx.OnnxIO;
import org.automixonnx.onnx.Shape;
import org.automixonnx.onnx.Tensor;

/**
 * One ONNX graph loaded into ORT, run with heap {@link Tensor}s: the convenient (allocating) path used
 * by tests and tools, and by {@link EvalRunner}, which adds the training state read in place. The training
 * loop's fast path with pinned outputs lives in the train-step runner.
 */
public final class GraphSession implements AutoCloseable {
    private final OrtSession session;
    private final String name;

    public GraphSession(Model model, SessionFactory factory) {
        this.name = model.graph().name();
        try {
            this.session = factory.create(OnnxIO.toBytes(model), name);
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime rejected graph '" + name + "': " + e.getMessage(), e);
        }
    }

    public GraphSession(Model model) {
        this(model, SessionFactory.cpu());
    }

    public OrtSession ort() {
        return session;
    }

    /** Runs the graph; returns every requested output (all outputs when {@code outputs} is empty). */
    public Map<String, Tensor> run(Map<String, Tensor> inputs, List<String> outputs) {
        return run(Map.of(), inputs, outputs);
    }

    /**
     * As {@link #run(Map, List)}, with more inputs already in ORT tensors that the caller keeps (e.g. views of
     * state buffers, read in place); the heap inputs are copied in for this run only.
     */
    Map<String, Tensor> run(Map<String, OnnxTensor> kept, Map<String, Tensor> inputs, Collection<String> outputs) {
        Map<String, OnnxTensor> copies = new HashMap<>();
        try {
            for (Map.Entry<String, Tensor> e : inputs.entrySet()) {
                copies.put(e.getKey(), toOrt(e.getValue()));
            }
            Map<String, OnnxTensor> feeds = new HashMap<>(kept);
            feeds.putAll(copies);
            Set<String> names = new LinkedHashSet<>(outputs.isEmpty() ? session.getOutputNames() : outputs);
            try (OrtSession.Result r = session.run(feeds, names)) {
                Map<String, Tensor> out = new LinkedHashMap<>();
                for (String n : names) {
                    out.put(n, fromOrt((OnnxTensor) r.get(n).orElseThrow()));
                }
                return out;
            }
        } catch (OrtException e) {
            throw new IllegalStateException("running graph '" + name + "' failed: " + e.getMessage(), e);
        } finally {
            copies.values().forEach(OnnxValue::close);
        }
    }

    public Map<String, Tensor> run(Map<String, Tensor> inputs) {
        return run(inputs, List.of());
    }

    public Map<String, NodeInfo> inputInfo() throws OrtException {
        return session.getInputInfo();
    }

    /** Copies a heap tensor into a new ORT tensor (direct buffer). */
    public static OnnxTensor toOrt(Tensor t) throws OrtException {
        return DirectTensor.copyOf("input", t).wrapForOrt();
    }

    /** Copies an ORT tensor to the heap. */
    public static Tensor fromOrt(OnnxTensor t) {
        TensorInfo info = t.getInfo();
        Shape shape = Shape.of(info.getShape());
        DType dt = switch (info.type) {
            case FLOAT -> DType.FLOAT;
            case INT64 -> DType.INT64;
            case INT32 -> DType.INT32;
            case DOUBLE -> DType.DOUBLE;
            case BOOL -> DType.BOOL;
            case UINT8 -> DType.UINT8;
            default -> throw new IllegalStateException("unsupported output type " + info.type);
        };
        ByteBuffer raw = t.getByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer copy = ByteBuffer.allocate(raw.remaining()).order(ByteOrder.LITTLE_ENDIAN);
        copy.put(raw).flip();
        return new Tensor(dt, shape, copy);
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException(e);
        }
    }
}
