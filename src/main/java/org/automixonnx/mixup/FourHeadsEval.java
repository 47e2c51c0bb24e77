package org.automixonnx.mixup;

import java.util.Map;
import org.automixonnx.graphs.BuildContext;
import org.automixonnx.graphs.GraphIo;
import org.automixonnx.graphs.Losses;
import org.automixonnx.graphs.Metrics;
import org.automixonnx.graphs.Mode;
import org.automixonnx.graphs.Role;
import org.automixonnx.graphs.StepGraph;
import org.automixonnx.models.ImageClassifier;
import org.automixonnx.onnx.DType;
import org.automixonnx.onnx.GraphBuilder;
import org.automixonnx.onnx.Ops;
import org.automixonnx.onnx.Shape;
import org.automixonnx.onnx.Tensor;
import org.automixonnx.onnx.Value;

/**
 * Evaluation of one AutoMix encoder with both heads ({@code four_heads_eval}; run it with the student's state
 * and with the teacher's state, {@code teacher.} stripped, for the four classifiers): BatchNorm on running
 * statistics, symbolic batch {@code N}. Inputs {@code x}, {@code y}, the plain-named parameters and BN
 * statistics; outputs {@code logits_one}, {@code logits_mix}, {@code loss_one}, {@code loss_mix},
 * {@code correct_one}, {@code correct_mix} (top-1 counts) and, with more than 5 classes, {@code correct5_one},
 * {@code correct5_mix} (top-5 counts).
 */
public final class FourHeadsEval {
    private static final String[] HEADS = {"one", "mix"};

    private FourHeadsEval() {
    }

    /** @param imageShape C, H, W of one image; {@code initial} may be empty (values are then drawn) */
    public static StepGraph build(ImageClassifier network, Map<String, Tensor> initial, long... imageShape) {
        BuildContext ctx = new BuildContext(new GraphBuilder("four_heads_eval"), Mode.EVAL, 0).load(initial);
        Ops o = ctx.ops();
        Value x = ctx.data(GraphIo.IMAGES, DType.FLOAT, Shape.symbolic(
                new long[] {Shape.UNKNOWN, imageShape[0], imageShape[1], imageShape[2]},
                new String[] {"N", null, null, null}));
        Value y = ctx.data(GraphIo.LABELS, DType.INT64, Shape.symbolic(new long[] {Shape.UNKNOWN}, new String[] {"N"}));
        Value pooled = network.pooledFeatures(ctx, x);
        for (String head : HEADS) {
            Value logits = network.head(ctx, "head_" + head, pooled);
            ctx.output(logits, "logits_" + head, Role.METRIC);
            ctx.output(Losses.crossEntropy(o, logits, y), "loss_" + head, Role.LOSS);
            ctx.output(Metrics.correct(o, logits, y), "correct_" + head, Role.METRIC);
            if (network.numClasses() > 5) {
                ctx.output(Metrics.correctTopK(o, logits, y, 5), "correct5_" + head, Role.METRIC);
            }
        }
        return ctx.finish();
    }
}
