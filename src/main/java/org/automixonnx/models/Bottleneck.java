package org.automixonnx.models;

import org.automixonnx.graphs.BuildContext;
import org.automixonnx.graphs.Initializer;
import org.automixonnx.models.nn.BatchNorm2d;
import org.automixonnx.models.nn.Layers;
import org.automixonnx.onnx.GraphBuilder;
import org.automixonnx.onnx.Value;

/**
 * torchvision's Bottleneck (ResNet v1.5): 1x1 reduce, 3x3 (grouped for ResNeXt) carrying the stride, 1x1 expand
 * to {@code planes * 4}, each followed by BN, ReLU after the first two and after the residual sum. The shortcut
 * is a strided 1x1 conv + BN ({@code downsample.0/.1}) when the shape changes.
 */
final class Bottleneck {
    private Bottleneck() {
    }

    static Value apply(BuildContext ctx, String name, Value x, int width, int groups, int outChannels, int stride,
            boolean zeroInitLastBn) {
        try (GraphBuilder.Scope s = ctx.builder().scope(name)) {
            Value h = Layers.conv2d(ctx, "conv1", x, width, 1, 1, 0, ResNet.CONV_INIT);
            h = Layers.relu(ctx, BatchNorm2d.apply(ctx, "bn1", h, Initializer.constant(1f)));
            h = Layers.conv2d(ctx, "conv2", h, width, 3, stride, 1, groups, ResNet.CONV_INIT);
            h = Layers.relu(ctx, BatchNorm2d.apply(ctx, "bn2", h, Initializer.constant(1f)));
            h = Layers.conv2d(ctx, "conv3", h, outChannels, 1, 1, 0, ResNet.CONV_INIT);
            h = BatchNorm2d.apply(ctx, "bn3", h, Initializer.constant(zeroInitLastBn ? 0f : 1f));
            return Layers.relu(ctx, ctx.ops().add(h, BasicBlock.shortcut(ctx, x, outChannels, stride)));
        }
    }
}
