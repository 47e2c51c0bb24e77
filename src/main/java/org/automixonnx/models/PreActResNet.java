package org.automixonnx.models;

import java.util.Arrays;
import java.util.List;
import org.automixonnx.graphs.BuildContext;
import org.automixonnx.graphs.Initializer;
import org.automixonnx.models.nn.BatchNorm2d;
import org.automixonnx.models.nn.Layers;
import org.automixonnx.onnx.GraphBuilder;
import org.automixonnx.onnx.Value;

/**
 * Pre-activation residual networks on the CIFAR stem (3x3/1 conv): PreAct-ResNet-18 (He et al. 2016, four
 * stages 64..512) and Wide-ResNet-d-k (Zagoruyko and Komodakis, three stages 16k, 32k, 64k with (d-4)/6 blocks
 * each, dropout 0). Both end with BN + ReLU before pooling.
 *
 * <p>Block ({@code layerS.B}): {@code a = relu(bn1(x)); h = conv2(relu(bn2(conv1(a)))); out = h + shortcut},
 * where the shortcut is {@code x}, or a strided 1x1 conv of {@code a} ({@code shortcut.0}) when the shape
 * changes. Names: {@code conv1}, {@code layerS.B.*}, final {@code bn}, head {@code fc}.
 *
 * <p>Feature taps: {@code l1..l4} are the four stages' outputs, the last after the final BN + ReLU; a WRN has
 * three stages, so its {@code l4} is the final BN + ReLU of {@code l3} (same resolution). Init: convolutions
 * Kaiming-normal fan-out, BN 1/0, heads Normal(0, 0.01); there is no last BN in a pre-activation branch to zero.
 */
public final class PreActResNet extends StagedClassifier {
    private final int stemWidth;
    private final int[] widths;
    private final int[] blocks;
    private final int inChannels;

    /**
     * @param widths output channels of each stage (3 or 4 stages); stage 1 has stride 1, later stages stride 2
     * @param blocks blocks per stage
     */
    public PreActResNet(int stemWidth, int[] widths, int[] blocks, int inChannels, int numClasses, boolean twoHeads) {
        super(numClasses, twoHeads);
        if (widths.length != blocks.length || widths.length < 3 || widths.length > 4) {
            throw new IllegalArgumentException("a pre-activation ResNet has 3 or 4 stages");
        }
        this.stemWidth = stemWidth;
        this.widths = widths.clone();
        this.blocks = blocks.clone();
        this.inChannels = inChannels;
    }

    /**
     * The zoo's names: {@code wrn-D-K} for any depth D = 6n + 4 and widening factor K (listed: wrn-28-8, wrn-28-10),
     * and {@code preact-resnet18}. Both are CIFAR networks; the {@code -cifar} suffix, which the zoo accepted for
     * them before it had a registry, is still accepted and changes nothing.
     */
    static void register(ModelRegistry r) {
        r.registerFamily("wrn-(\\d+)-(\\d+)(?:-cifar)?", List.of("wrn-28-8", "wrn-28-10"),
                a -> wide(a.numbers().get(0), a.numbers().get(1), a.width(), a.channels(), a.classes()));
        r.register("preact-resnet18", a -> preact18(a.width(), a.channels(), a.classes()));
        r.alias("preact-resnet18-cifar", "preact-resnet18");
    }

    /** PreAct-ResNet-18 at width multiplier {@code w}. */
    public static PreActResNet preact18(double w, int inChannels, int numClasses) {
        int base = scale(64, w);
        return new PreActResNet(base, new int[] {base, base * 2, base * 4, base * 8}, new int[] {2, 2, 2, 2},
                inChannels, numClasses, false);
    }

    /** Wide-ResNet-{@code depth}-{@code k} at width multiplier {@code w} (which also narrows the 16-channel stem). */
    public static PreActResNet wide(int depth, int k, double w, int inChannels, int numClasses) {
        if ((depth - 4) % 6 != 0 || depth < 10) {
            throw new IllegalArgumentException("Wide-ResNet depth must be 6n + 4, got " + depth);
        }
        int n = (depth - 4) / 6;
        return new PreActResNet(scale(16, w), new int[] {scale(16 * k, w), scale(32 * k, w), scale(64 * k, w)},
                new int[] {n, n, n}, inChannels, numClasses, false);
    }

    private static int scale(int channels, double w) {
        return Math.max(1, (int) Math.round(channels * w));
    }

    public int inChannels() {
        return inChannels;
    }

    @Override
    public PreActResNet withTwoHeads(boolean two) {
        return new PreActResNet(stemWidth, widths, blocks, inChannels, numClasses(), two);
    }

    @Override
    protected String singleHeadName() {
        return "fc";
    }

    @Override
    protected Value stem(BuildContext ctx, Value x) {
        return Layers.conv2d(ctx, "conv1", x, stemWidth, 3, 1, 1, ResNet.CONV_INIT);
    }

    @Override
    protected Value stage(BuildContext ctx, int s, Value h) {
        if (s <= widths.length) {
            try (GraphBuilder.Scope scope = ctx.builder().scope("layer" + s)) {
                for (int blk = 0; blk < blocks[s - 1]; blk++) {
                    h = block(ctx, Integer.toString(blk), h, widths[s - 1], (s > 1 && blk == 0) ? 2 : 1);
                }
            }
        }
        if (s == 4) {
            h = Layers.relu(ctx, BatchNorm2d.apply(ctx, "bn", h, Initializer.constant(1f)));
        }
        return h;
    }

    private static Value block(BuildContext ctx, String name, Value x, int width, int stride) {
        try (GraphBuilder.Scope s = ctx.builder().scope(name)) {
            Value a = Layers.relu(ctx, BatchNorm2d.apply(ctx, "bn1", x, Initializer.constant(1f)));
            Value shortcut = x;
            if (stride != 1 || x.dim(1) != width) {
                try (GraphBuilder.Scope sc = ctx.builder().scope("shortcut")) {
                    shortcut = Layers.conv2d(ctx, "0", a, width, 1, stride, 0, ResNet.CONV_INIT);
                }
            }
            Value h = Layers.conv2d(ctx, "conv1", a, width, 3, stride, 1, ResNet.CONV_INIT);
            h = Layers.relu(ctx, BatchNorm2d.apply(ctx, "bn2", h, Initializer.constant(1f)));
            h = Layers.conv2d(ctx, "conv2", h, width, 3, 1, 1, ResNet.CONV_INIT);
            return ctx.ops().add(h, shortcut);
        }
    }

    @Override
    public String toString() {
        return "PreActResNet(stem " + stemWidth + ", widths " + Arrays.toString(widths) + ", blocks "
                + Arrays.toString(blocks) + ")";
    }
}
