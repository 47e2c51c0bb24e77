package org.automixonnx.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.automixonnx.autodiff.BatchGemmConv;
import org.automixonnx.graphs.BuildContext;
import org.automixonnx.graphs.ConvLowering;
import org.automixonnx.graphs.Mode;
import org.automixonnx.graphs.Role;
import org.automixonnx.graphs.StateVar;
import org.automixonnx.graphs.WinogradConv;
import org.automixonnx.models.nn.BatchNorm2d;
import org.automixonnx.onnx.DType;
import org.automixonnx.onnx.GraphBuilder;
import org.automixonnx.onnx.Node;
import org.automixonnx.onnx.Shape;
import org.automixonnx.onnx.Tensor;
import org.automixonnx.onnx.Value;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Structure, names, parameter count and initialisation of the ResNet builder (no ORT run needed). */
class ResNetTest {
    private static BuildContext build(ResNetConfig config, Mode mode, long seed, int size) {
        BuildContext ctx = new BuildContext(new GraphBuilder("resnet"), mode, seed);
        Value x = ctx.data("x", DType.FLOAT, Shape.of(2, config.inChannels(), size, size));
        Value logits = new ResNet(config).forward(ctx, x);
        assertArrayEquals(new long[] {2, config.numClasses()}, logits.shape().dims());
        return ctx;
    }

    private static long count(BuildContext ctx, Role role) {
        return ctx.states(role).stream().mapToLong(s -> s.initial().numel()).sum();
    }

    @Test
    void resnet18CifarHasTorchvisionParameterCount() {
        BuildContext ctx = build(ResNetConfig.resnet18Cifar(10), Mode.EVAL, 1, 32);
        assertEquals(11_173_962L, count(ctx, Role.PARAMETER));
        assertEquals(62, ctx.states(Role.PARAMETER).size());
        assertEquals(0, composites(ctx, BatchGemmConv.COMPOSITE), "evaluation graphs keep ORT's Conv");
    }

    /** {Winograd convs, batch-GEMM convs} in ResNet-18's training graph at 32x32 under each lowering. */
    @ParameterizedTest
    @CsvSource({"AUTO, 9, 4", "WINOGRAD_ANY_WIDTH, 14, 4", "DIRECT, 0, 0"})
    void trainingConvFormsFollowTheLowering(ConvLowering lowering, long winograd, long batchGemm) {
        BuildContext ctx = new BuildContext(new GraphBuilder("resnet"), Mode.TRAIN, 1).convLowering(lowering);
        new ResNet(ResNetConfig.resnet18Cifar(10)).forward(ctx, ctx.data("x", DType.FLOAT, Shape.of(2, 3, 32, 32)));
        // AUTO: the stride-1 convs of the 128-, 256- and 512-channel stages are Winograd, the strided convs and
        // 1x1 shortcuts into the 8x8 and 4x4 stages one GEMM over the batch; any width adds the stem and layer1
        assertEquals(winograd, winogradConvs(ctx.builder().nodes()), "Winograd convs");
        assertEquals(batchGemm, composites(ctx, BatchGemmConv.COMPOSITE), "batch-GEMM convs");
    }

    /** The Winograd convs among a graph's nodes: the distinct scopes {@code <conv>.winograd}. */
    static long winogradConvs(List<Node> nodes) {
        return nodes.stream().map(Node::name).filter(n -> n.contains("." + WinogradConv.SCOPE + "/"))
                .map(n -> n.substring(0, n.indexOf('/'))).distinct().count();
    }

    private static long composites(BuildContext ctx, String type) {
        return ctx.builder().composites().stream().filter(c -> c.type().equals(type)).count();
    }

    @Test
    void namesFollowTorchvision() {
        BuildContext ctx = build(ResNetConfig.resnet18Cifar(10).widthMultiplier(1.0 / 16), Mode.TRAIN, 1, 8);
        for (String n : new String[] {"conv1.weight", "bn1.weight", "bn1.bias", "bn1.running_mean", "bn1.running_var",
                "bn1.num_batches_tracked", "layer1.0.conv1.weight", "layer1.1.bn2.bias", "layer2.0.downsample.0.weight",
                "layer2.0.downsample.1.weight", "layer4.1.conv2.weight", "fc.weight", "fc.bias"}) {
            ctx.stateVar(n);
        }
        assertEquals(DType.INT64, ctx.stateVar("bn1.num_batches_tracked").input().dtype());
        long batchNorms = ctx.states().stream().filter(s -> s.name().endsWith("running_mean")).count();
        assertEquals(batchNorms, composites(ctx, BatchNorm2d.COMPOSITE), "every train-mode BN is a composite");
        // all five convs of layer3 and of layer4 (2x2 and 1x1 positions here: the stride-2 conv and the 1x1
        // shortcut included) train as one GEMM over the batch; layer1/layer2 keep ORT's Conv
        assertEquals(10, composites(ctx, BatchGemmConv.COMPOSITE));
        assertTrue(ctx.states().stream().noneMatch(s -> s.name().startsWith("layer1.0.downsample")));
        assertEquals(4, ctx.taps().size());
        assertArrayEquals(new long[] {2, 32, 1, 1}, ctx.taps().get("l4").shape().dims());
        assertArrayEquals(new long[] {2, 16, 2, 2}, ctx.taps().get("l3").shape().dims());
    }

    @Test
    void imagenetStemDownsamplesFourTimes() {
        ResNetConfig c = ResNetConfig.resnet18Cifar(5).widthMultiplier(0.125).withStem(ResNetConfig.Stem.IMAGENET);
        BuildContext ctx = build(c, Mode.EVAL, 1, 64);
        assertArrayEquals(new long[] {2, 8, 16, 16}, ctx.taps().get("l1").shape().dims());
        assertArrayEquals(new long[] {8, 3, 7, 7}, ctx.stateVar("conv1.weight").input().shape().dims());
    }

    @Test
    void initFollowsTheRecipeAndIsDeterministic() {
        ResNetConfig c = ResNetConfig.resnet18Cifar(10).widthMultiplier(0.25);
        BuildContext a = build(c, Mode.EVAL, 42, 8);
        BuildContext b = build(c, Mode.EVAL, 42, 8);
        BuildContext other = build(c, Mode.EVAL, 43, 8);
        for (StateVar s : a.states()) {
            assertArrayEquals(s.initial().floats(), b.stateVar(s.name()).initial().floats(), s.name());
        }
        assertTrue(!java.util.Arrays.equals(a.stateVar("conv1.weight").initial().floats(),
                other.stateVar("conv1.weight").initial().floats()));

        // Kaiming normal, fan_out: std sqrt(2 / (out * k * k)); layer3.0.conv2 has 64 x 64 x 3 x 3 weights
        float[] w = a.stateVar("layer3.0.conv2.weight").initial().floats();
        assertEquals(Math.sqrt(2.0 / (64 * 9)), std(w), 0.03 * Math.sqrt(2.0 / (64 * 9)));
        assertEquals(0.01, std(a.stateVar("fc.weight").initial().floats()), 0.002);
        assertAll(a, "fc.bias", 0f);
        assertAll(a, "layer1.0.bn1.weight", 1f);
        assertAll(a, "layer1.0.bn1.bias", 0f);
        assertAll(a, "layer1.0.bn2.weight", 0f);
        assertAll(a, "layer2.0.downsample.1.weight", 1f);
        assertAll(a, "layer1.0.bn1.running_var", 1f);
        assertAll(a, "layer1.0.bn1.running_mean", 0f);
        BuildContext noZero = build(c.withZeroInitResidual(false), Mode.EVAL, 42, 8);
        assertAll(noZero, "layer1.0.bn2.weight", 1f);
    }

    @Test
    void exportModeBakesParametersIn() {
        ResNetConfig c = ResNetConfig.resnet18Cifar(10).widthMultiplier(1.0 / 16);
        BuildContext ctx = build(c, Mode.EXPORT, 1, 8);
        var inputs = ctx.builder().inputs();
        assertEquals(1, inputs.size());
        assertTrue(ctx.builder().initializers().containsKey("layer4.1.bn2.running_var"));
        assertTrue(!ctx.builder().hasValue("bn1.num_batches_tracked"));
    }

    private static void assertAll(BuildContext ctx, String name, float v) {
        Tensor t = ctx.stateVar(name).initial();
        for (float f : t.floats()) {
            assertEquals(v, f, 0f, name);
        }
    }

    private static double std(float[] v) {
        double s = 0;
        double s2 = 0;
        for (float f : v) {
            s += f;
            s2 += (double) f * f;
        }
        double mean = s / v.length;
        return Math.sqrt(s2 / v.length - mean * mean);
    }
}
