package org.automixonnx.export;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.automixonnx.graphs.ExportGraph;
import org.automixonnx.graphs.Network;
import org.automixonnx.models.ImageClassifier;
import org.automixonnx.models.Head;
import org.automixonnx.onnx.DType;
import org.automixonnx.onnx.Model;
import org.automixonnx.onnx.OnnxIO;
import org.automixonnx.onnx.Tensor;
import org.automixonnx.runtime.AtomicFiles;

/**
 * Turns a trained network and its state into a plain inference ONNX model for any ONNX Runtime app: input
 * {@code input} float32 [N, C, H, W] (N dynamic), output {@code logits} [N, K] and, on request,
 * {@code probabilities} (softmax over classes); parameters and BN statistics baked in as initializers;
 * metadata properties describing how to feed it (see {@link #metadata}).
 */
public final class ExportService {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * @param network    a zoo {@link ImageClassifier} (any head) or another network (head one only)
     * @param state      the run's state: parameters and BN statistics of the chosen encoder (other entries,
     *                   such as optimizer buffers or the other encoder, are ignored)
     * @param imageShape C, H, W
     */
    public Model build(Network network, Map<String, Tensor> state, ExportOptions options, long... imageShape) {
        Network chosen = withHead(network, options.head());
        Model model = ExportGraph.build(chosen, options.encoder().select(state), options.softmax(), imageShape);
        String diverged = nonFiniteInitializer(model);
        if (diverged != null) {
            throw new IllegalArgumentException("its tensor '" + diverged + "' holds NaN or Inf, so the exported model"
                    + " would predict nothing; export a checkpoint from before the run diverged (e.g. an"
                    + " epoch-NNN.state)");
        }
        if (options.foldBn()) {
            model = BatchNormFolding.fold(model);
        }
        return model.withMetadata(metadata(options, imageShape));
    }

    /** The first float initializer (a weight or BN statistic) holding NaN or Inf, or null. */
    private static String nonFiniteInitializer(Model m) {
        for (Map.Entry<String, Tensor> e : m.graph().initializers().entrySet()) {
            if (e.getValue().dtype() == DType.FLOAT) {
                for (float v : e.getValue().floats()) {
                    if (!Float.isFinite(v)) {
                        return e.getKey();
                    }
                }
            }
        }
        return null;
    }

    public void write(Network network, Map<String, Tensor> state, ExportOptions options, Path out,
            long... imageShape) throws IOException {
        Model m = build(network, state, options, imageShape);
        AtomicFiles.write(out, ByteBuffer.wrap(OnnxIO.toBytes(m)));
    }

    private static Network withHead(Network network, Head head) {
        if (network instanceof ImageClassifier c) {
            return (ctx, x) -> c.logits(ctx, x, head);
        }
        if (head != Head.ONE) {
            throw new IllegalArgumentException("this network has a single head; --head mix needs a zoo model "
                    + "trained with two heads");
        }
        return network;
    }

    /**
     * Metadata properties: {@code architecture}, {@code method}, {@code encoder}, {@code head},
     * {@code input_size} ("C,H,W"), {@code input_layout}, and JSON arrays {@code class_names}, {@code mean},
     * {@code std} (normalisation already applied by the caller: {@code (pixel / 255 - mean) / std}).
     */
    static Map<String, String> metadata(ExportOptions o, long... imageShape) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("architecture", o.architecture());
        m.put("method", o.method());
        m.put("encoder", o.encoder().name().toLowerCase());
        m.put("head", o.head().name().toLowerCase());
        m.put("input_size", imageShape[0] + "," + imageShape[1] + "," + imageShape[2]);
        m.put("input_layout", "NCHW float32, (pixel / 255 - mean) / std per channel");
        try {
            m.put("class_names", JSON.writeValueAsString(o.classNames()));
            m.put("mean", JSON.writeValueAsString(o.mean()));
            m.put("std", JSON.writeValueAsString(o.std()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        m.put("bn_folded", Boolean.toString(o.foldBn()));
        return m;
    }
}
