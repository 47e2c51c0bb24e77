package org.automixonnx.mixup;

import org.automixonnx.graphs.BuildContext;
import org.automixonnx.graphs.GraphIo;
import org.automixonnx.graphs.Mode;
import org.automixonnx.graphs.Role;
import org.automixonnx.graphs.StepGraph;
import org.automixonnx.models.ImageClassifier;
import org.automixonnx.onnx.DType;
import org.automixonnx.onnx.GraphBuilder;
import org.automixonnx.onnx.Shape;
import org.automixonnx.onnx.Value;

/**
 * The trained MixBlock as an inference graph {@code (x, perm, lam) -> mask} (the partner's per-pixel weight),
 * for visualisation: the teacher's features at the tap with BatchNorm in eval mode (running statistics;
 * a handful of images would give meaningless batch statistics), then the MixBlock. State names are those of
 * {@code mixblock_step} ({@code teacher.*}, {@code mixblock.*}).
 */
public final class MixBlockMaskGraph {
    private MixBlockMaskGraph() {
    }

    public static StepGraph build(ImageClassifier network, String tap, MixBlock.Options options, int pairs, long... image) {
        BuildContext ctx = new BuildContext(new GraphBuilder("mixblock_masks"), Mode.EVAL, 0);
        Value x = ctx.data(GraphIo.IMAGES, DType.FLOAT, Shape.of(pairs, image[0], image[1], image[2]));
        Value perm = ctx.data(GraphIo.PERMUTATION, DType.INT64, Shape.of(pairs));
        Value lam = ctx.data(GraphIo.LAMBDA, DType.FLOAT, Shape.SCALAR);
        Value z;
        try (GraphBuilder.Scope s = ctx.builder().scope(AutoMixStepGraphs.TEACHER)) {
            z = network.features(ctx, x, tap);
        }
        Value mask = MixBlock.apply(ctx, z, lam, perm, image[1], image[2], options);
        ctx.output(mask, "mask", Role.METRIC);
        return ctx.finish();
    }
}
