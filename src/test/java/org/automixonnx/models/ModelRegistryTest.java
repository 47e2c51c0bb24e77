package org.automixonnx.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.automixonnx.graphs.BuildContext;
import org.automixonnx.graphs.Mode;
import org.automixonnx.onnx.DType;
import org.automixonnx.onnx.GraphBuilder;
import org.automixonnx.onnx.Shape;
import org.automixonnx.onnx.Value;
import org.junit.jupiter.api.Test;

/** The model registry: what the zoo registers, how names are parsed, and the loud failures. */
class ModelRegistryTest {
    /** State name -> shape of the network's training graph on 2 images of 3x32x32 with each of its heads. */
    static Map<String, Shape> states(ImageClassifier net) {
        BuildContext ctx = new BuildContext(new GraphBuilder("registry"), Mode.TRAIN, 1);
        Value pooled = net.pooledFeatures(ctx, ctx.data("x", DType.FLOAT, Shape.of(2, 3, 32, 32)));
        for (Head h : net.twoHeads() ? List.of(Head.ONE, Head.MIX) : List.of(Head.ONE)) {
            assertArrayEquals(new long[] {2, net.numClasses()}, net.head(ctx, h, pooled).shape().dims());
        }
        Map<String, Shape> out = new TreeMap<>();
        ctx.states().forEach(s -> out.put(s.name(), s.initial().shape()));
        return out;
    }

    @Test
    void everyRegisteredNameBuildsAndEveryFamilyIsListed() {
        Set<Class<?>> families = new HashSet<>();
        for (String name : ModelZoo.names()) {
            ImageClassifier one = ModelZoo.create(name + "-w0.0625", 3, 5);
            ImageClassifier two = ModelZoo.create(name + "-w0.0625", 3, 5, true);
            Map<String, Shape> oneStates = states(one);
            Map<String, Shape> twoStates = states(two);
            assertTrue(twoStates.containsKey("head_one.weight") && twoStates.containsKey("head_mix.weight"), name);
            assertTrue(oneStates.keySet().stream().noneMatch(s -> s.startsWith("head_")), name);
            families.add(one.getClass());
        }
        assertEquals(Set.of(ResNet.class, PreActResNet.class, MobileNetV2.class, VisionTransformer.class), families);
    }

    @Test
    void unknownNamesFailWithEveryKnownName() {
        var e = assertThrows(IllegalArgumentException.class, () -> ModelZoo.create("vgg16-w0.5", 3, 10));
        assertEquals("unknown model 'vgg16-w0.5'; known: " + String.join(", ", ModelZoo.names())
                + " (append -w<multiplier> for a narrower variant, e.g. resnet18-cifar-w0.25)", e.getMessage());
        assertTrue(ModelZoo.names().containsAll(List.of("resnet18", "resnext101-32x4d-cifar", "wrn-28-10",
                "preact-resnet18", "mobilenetv2")), ModelZoo.names().toString());
        assertThrows(IllegalArgumentException.class, () -> ModelZoo.create("mobilenetv2-cifar", 3, 10));
        var width = assertThrows(IllegalArgumentException.class, () -> ModelZoo.create("wrn-28-10-w4.5", 3, 10));
        assertEquals("width multiplier must be in (0, 4], got 4.5", width.getMessage());
    }

    /** Spellings the zoo accepted before it had a registry build the same network as the listed name. */
    @Test
    void oldSpellingsStillBuildTheSameNetwork() {
        assertEquals(states(ModelZoo.create("wrn-16-2-w0.25", 3, 5)), states(ModelZoo.create("wrn-16-2-cifar-w0.25", 3, 5)));
        assertEquals(states(ModelZoo.create("preact-resnet18-w0.0625", 3, 5)),
                states(ModelZoo.create(" PreAct-ResNet18-cifar-W0.0625 ", 3, 5)));
        assertFalse(ModelZoo.names().contains("preact-resnet18-cifar"));
    }

    /** A registry of stand-ins: the arguments each builder is called with. */
    @Test
    void widthSuffixAndFamilyNumbersReachTheBuilder() {
        List<ModelArgs> calls = new ArrayList<>();
        ModelRegistry r = new ModelRegistry()
                .register("tiny", a -> record(calls, a))
                .registerFamily("deep-(\\d+)x(\\d+)", List.of("deep-2x3"), a -> record(calls, a))
                .alias("tiny-old", "tiny");
        assertEquals(List.of("tiny", "deep-2x3"), r.names());
        r.create("tiny", 1, 2, false);
        r.create("Tiny-Old-w0.5", 1, 2, false);
        r.create("deep-10x4-w.25", 3, 7, true);
        assertEquals(List.of(new ModelArgs(1.0, 1, 2, List.of()), new ModelArgs(0.5, 1, 2, List.of()),
                new ModelArgs(0.25, 3, 7, List.of(10, 4))), calls);
    }

    /** An optional part the name leaves out keeps its place, and the builder reads its default. */
    @Test
    void optionalNumbersKeepTheirPlace() {
        List<ModelArgs> calls = new ArrayList<>();
        ModelRegistry r = new ModelRegistry()
                .registerFamily("net(?:-d(\\d+))?(?:-p(\\d+))?", List.of("net"), a -> record(calls, a));
        r.create("net", 1, 2, false);
        r.create("net-p4-w0.5", 1, 2, false);
        r.create("net-d6-p8", 1, 2, false);
        assertEquals(List.of(12, 16), List.of(calls.get(0).number(0, 12), calls.get(0).number(1, 16)));
        assertEquals(List.of(12, 4), List.of(calls.get(1).number(0, 12), calls.get(1).number(1, 16)));
        assertEquals(0.5, calls.get(1).width());
        assertEquals(List.of(6, 8), calls.get(2).numbers());
    }

    @Test
    void registrationMistakesFailLoudly() {
        ModelRegistry r = new ModelRegistry().register("tiny", a -> null);
        assertThrows(IllegalStateException.class, () -> r.register("tiny", a -> null));
        assertThrows(IllegalStateException.class, () -> r.alias("tiny", "tiny"));
        assertThrows(IllegalStateException.class, () -> r.alias("small", "nothing"));
        assertThrows(IllegalStateException.class, () -> r.registerFamily("deep-(\\d+)", List.of("shallow-1"), a -> null));
    }

    private static ImageClassifier record(List<ModelArgs> calls, ModelArgs a) {
        calls.add(a);
        return new MobileNetV2(a.width(), a.channels(), a.classes(), false);
    }
}
