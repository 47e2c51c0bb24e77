package org.automixonnx.mixup;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.automixonnx.autodiff.Differentiator;
import org.automixonnx.graphs.GraphIo;
import org.automixonnx.graphs.GraphReplay;
import org.automixonnx.graphs.Losses;
import org.automixonnx.graphs.Role;
import org.automixonnx.graphs.StepGraph;
import org.automixonnx.onnx.DType;
import org.automixonnx.onnx.GraphBuilder;
import org.automixonnx.onnx.Ops;
import org.automixonnx.onnx.Shape;
import org.automixonnx.onnx.Value;

/**
 * A graph built around a classifier's evaluation graph (inputs {@code x}, {@code y} and state; BatchNorm on running
 * statistics), which it replays on images of a fixed batch: the evaluation suite and PuzzleMix's saliency. It
 * collects the new graph's data inputs and outputs, and its state inputs are the evaluation graph's state inputs the
 * replays used.
 */
final class ClassifierReplay {
    /** The classifier on clean images: logits, the summed (weighted) cross-entropy and its gradient wrt the images. */
    record CleanPass(Value logits, Value loss, Value inputGradient) {
    }

    private final StepGraph eval;
    private final String logits;
    private final GraphBuilder b;
    private final Ops o;
    private final GraphReplay classifier;
    private final List<GraphIo> inputs = new ArrayList<>();
    private final List<GraphIo> outputs = new ArrayList<>();

    /** @param logits which output of {@code eval} holds the classifier's logits */
    ClassifierReplay(String name, StepGraph eval, String logits) {
        if (eval.outputs().stream().noneMatch(io -> io.name().equals(logits))) {
            throw new IllegalArgumentException("graph " + eval.name() + " has no output '" + logits + "'");
        }
        this.eval = eval;
        this.logits = logits;
        this.b = new GraphBuilder(name);
        this.o = new Ops(b);
        this.classifier = new GraphReplay(eval.model().graph(), b);
    }

    GraphBuilder builder() {
        return b;
    }

    Ops ops() {
        return o;
    }

    Value data(String name, DType dtype, Shape shape) {
        inputs.add(new GraphIo(name, Role.DATA, dtype, shape));
        return b.input(name, dtype, shape);
    }

    void output(Value v, String name, Role role) {
        Value out = b.output(v, name);
        outputs.add(new GraphIo(name, role, out.dtype(), out.shape()));
    }

    /** The classifier's logits on images {@code x} (labels {@code y} only feed the replayed graph's loss). */
    Value logits(Value x, Value y) {
        return classifier.apply(Map.of(GraphIo.IMAGES, x, GraphIo.LABELS, y), List.of(logits)).get(logits);
    }

    /**
     * Logits on {@code x}, {@code loss = sum_i w_i CE_i} ({@code weight} null: every w_i = 1) and {@code d loss / d x}
     * from our autodiff. BatchNorm uses running statistics, so each image's gradient is its own.
     */
    CleanPass cleanPass(Value x, Value y, Value weight) {
        Value out = logits(x, y);
        Value perSample = Losses.crossEntropyPerSample(o, out, y);
        Value loss = o.reduceSumAll(weight == null ? perSample : o.mul(weight, perSample));
        Value grad = new Differentiator(b).gradients(loss, List.of(x)).get(x);
        return new CleanPass(out, loss, grad);
    }

    StepGraph finish() {
        Set<String> used = new HashSet<>();
        b.inputs().forEach(v -> used.add(v.name()));
        List<GraphIo> all = new ArrayList<>(inputs);
        eval.stateInputs().stream().filter(io -> used.contains(io.name())).forEach(all::add);
        return new StepGraph(b.buildModel(), all, outputs, Map.of());
    }
}
