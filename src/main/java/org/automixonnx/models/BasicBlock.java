package org.automixonnx.models;

import org.automixonnx.graphs.BuildContext;
import org.automixonnx.graphs.Initializer;
import org.automixonnx.models.nn.BatchNorm2d;
import org.automixonnx.models.nn.Layers;
import org.automixonnx.onnx.GraphBuilder;
import org.automixonnx.onnx.Value;

/**
 * The two-convolution residual block: {@code relu(bn2(conv2(relu(bn1(conv1(x))))) + shortcut(x))}, where the
 * shortcut is a 1x1 strided conv + BN ({@code downsample.0/.1}) when the shape changes, else the identity.
 */
final class BasicBlock {
    private BasicBlock() {
    }

    static Value apply(BuildContext ctx, String name, Value x, int width, int stride, boolean zeroInitLastBn) {
        try (GraphBuilder.Scope s = ctx.builder().scope(name)) {
            Value h = Layers.conv2d(ctx, "conv1", x, width, 3, stride, 1, ResNet.CONV_INIT);
            h = Layers.relu(ctx, BatchNorm2d.apply(ctx, "bn1", h, Initializer.constant(1f)));
            h = Layers.conv2d(ctx, "conv2", h, width, 3, 1, 1, ResNet.CONV_INIT);
            h = BatchNorm2d.apply(ctx, "bn2", h, Initializer.constant(zeroInitLastBn ? 0f : 1f));
            return Layers.relu(ctx, ctx.ops().add(h, shortcut(ctx, x, width, stride)));
        }
    }

    /** Identity, or torchvision's {@code downsample} (1x1 strided conv + BN) when the shape changes. */
    static Value shortcut(BuildContext ctx, Value x, int outChannels, int stride) {
        if (stride == 1 && x.dim(1) == outChannels) {
            return x;
        }
        try (GraphBuilder.Scope d = ctx.builder().scope("downsample")) {
            Value s = Layers.conv2d(ctx, "0", x, outChannels, 1, stride, 0, ResNet.CONV_INIT);
            return BatchNorm2d.apply(ctx, "1", s, Initializer.constant(1f));
        }
    }
}
