package org.automixonnx.mixup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.automixonnx.data.Batch;
import org.automixonnx.models.Head;
import org.automixonnx.models.ImageClassifier;
import org.automixonnx.models.ModelZoo;
import org.automixonnx.testing.MethodContexts;
import org.automixonnx.testing.SyntheticImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The method registry: every registered method builds and trains, and a wrong name or entry fails loudly. */
class MethodRegistryTest {
    private static final int N = 4;
    private static final int CLASSES = 4;
    private static final long[] IMAGE = {3, 16, 16};

    static List<String> registered() {
        return MethodRegistry.standard().names();
    }

    private static ImageClassifier tinyNetwork() {
        return ModelZoo.create("resnet18-cifar-w0.0625", (int) IMAGE[0], CLASSES);
    }

    private static Batch batch() {
        return batches(1).get(0);
    }

    /** {@code count} different batches of the toy task, the same on every call. */
    static List<Batch> batches(int count) {
        SyntheticImages source = new SyntheticImages(CLASSES, (int) IMAGE[0], (int) IMAGE[1], 0.5f, 3);
        List<Batch> batches = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            SyntheticImages.Batch b = source.next(N);
            batches.add(new Batch(i, b.x().floats(), b.y().longs(), new int[N], (int) IMAGE[0], (int) IMAGE[1],
                    (int) IMAGE[2]));
        }
        return batches;
    }

    /** The method's defaults as the registry gives them, with its options section at its defaults. */
    static MethodContext defaults(MethodSpec spec) throws ReflectiveOperationException {
        MethodOptions options = spec.optionsType() == null ? null
                : spec.optionsType().getDeclaredConstructor().newInstance();
        return MethodContexts.of(tinyNetwork(), IMAGE, N, 0, new SgdHyper(0.9, 1e-4), spec.defaultAlpha(), options);
    }

    private static double step(MixMethod m, Batch b) {
        Map<String, Double> losses = m.step(b, new Iteration(0, 0, 1, 0.05, new SplittableRandom(11)));
        double loss = losses.get("loss");
        assertTrue(Double.isFinite(loss) && loss > 0, m.name() + " loss " + loss);
        return loss;
    }

    /**
     * Each method from its registration: it runs an iteration and trains (the same iteration again gives another
     * loss), and its state holds two heads and a MixBlock exactly when its entry declares them.
     */
    @ParameterizedTest
    @MethodSource("registered")
    void everyRegisteredMethodTrainsOnATinyNetwork(String name) throws Exception {
        MethodSpec spec = MethodRegistry.standard().get(name);
        Batch b = batch();
        try (MixMethod m = spec.create(defaults(spec))) {
            assertEquals(name, m.name());
            double first = step(m, b);
            assertNotEquals(first, step(m, b), name + ": the first iteration changed the state");
            List<String> state = m.state().values().stream().flatMap(s -> s.names().stream()).toList();
            String headMix = Head.MIX.moduleName(true, null) + ".";
            assertEquals(spec.has(MethodNeed.TWO_HEADS), state.stream().anyMatch(s -> s.startsWith(headMix)),
                    name + " two heads: " + state);
            String mixBlock = MixBlock.SCOPE + ".";
            assertEquals(spec.has(MethodNeed.MIX_BLOCK), state.stream().anyMatch(s -> s.startsWith(mixBlock)),
                    name + " MixBlock: " + state);
        }
    }

    @Test
    void anUnknownNameFailsWithTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MethodRegistry.standard().get("nosuchmix"));
        assertTrue(e.getMessage().contains("'nosuchmix'"), e.getMessage());
        for (String known : registered()) {
            assertTrue(e.getMessage().contains(" " + known), known + " missing from: " + e.getMessage());
        }
    }

    @Test
    void aNameRegisteredTwiceFails() {
        MethodSpec vanilla = MethodSpec.of(Vanilla.NAME, Vanilla::new);
        MethodRegistry r = new MethodRegistry().register(vanilla);
        assertThrows(IllegalStateException.class, () -> r.register(vanilla.withAlpha(1)));
    }

    /** A method that needs an image classifier refuses a plain network, naming itself. */
    @Test
    void aPlainNetworkIsRefusedByMethodsThatNeedAClassifier() {
        Stream.of("mixup", AutoMix.NAME).map(MethodRegistry.standard()::get).forEach(spec -> {
            MethodContext plain = MethodContexts.of(EvalSuiteGraphTest.TINY, EvalSuiteGraphTest.IMAGE, N, 0,
                    new SgdHyper(0.9, 0), 1.0, null);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> spec.create(plain));
            assertTrue(e.getMessage().contains(spec.name()) && e.getMessage().contains("image classifier"),
                    e.getMessage());
        });
    }

    /** The whole of a new sample-level method: its mask generator and one registration line. */
    @Test
    void aSampleLevelMethodIsAGeneratorAndARegistration() {
        MaskGenerator halves = new MaskGenerator() {
            @Override
            public boolean pixelMask() {
                return false;
            }

            @Override
            public MixDraw draw(SplittableRandom rng, double lam, Pairing pairing) {
                return MixDraw.ratio(0.5);
            }
        };
        MethodRegistry r = new MethodRegistry().register(SampleMixMethod.spec("halfmix", net -> halves).withAlpha(1));
        MethodSpec spec = r.get("halfmix");
        try (MixMethod m = spec.create(MethodContexts.of(tinyNetwork(), IMAGE, N, 0, new SgdHyper(0.9, 0),
                spec.defaultAlpha(), null))) {
            Map<String, Double> losses = m.step(batch(), new Iteration(0, 0, 1, 0.05, new SplittableRandom(1)));
            assertEquals(0.5, losses.get("lam"));
            assertEquals("halfmix", m.name());
        }
    }
}
