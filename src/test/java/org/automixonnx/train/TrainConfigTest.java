package org.automixonnx.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.automixonnx.mixup.AutoMixOptions;
import org.automixonnx.mixup.MethodOptions;
import org.automixonnx.mixup.MethodRegistry;
import org.automixonnx.mixup.PuzzleMixOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainConfigTest {
    @Test
    void yamlValuesAndFlagOverridesCombine(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("run.yaml");
        Files.writeString(f, "method: mixup\nepochs: 7\nautomix:\n  tap: l2\n  emaEnd: 0.99999\n");
        TrainConfig c = TrainConfig.read(f).with(Map.of("epochs", 3, "lr", 0.05));
        assertEquals("mixup", c.method);
        assertEquals(3, c.epochs);
        assertEquals(0.05, c.lr);
        assertEquals("l2", c.automix.tap);
        assertEquals(0.99999, c.automix.emaEnd);
        assertEquals(new TrainConfig().batchSize, c.batchSize, "untouched keys keep their defaults");
    }

    @Test
    void resolvedConfigRoundTripsThroughYaml(@TempDir Path dir) throws IOException {
        TrainConfig c = new TrainConfig().with(Map.of("seed", 42, "alpha", 0.2));
        Path f = dir.resolve("config.yaml");
        Files.writeString(f, c.toYaml());
        TrainConfig back = TrainConfig.read(f);
        assertEquals(c.toYaml(), back.toYaml());
        assertEquals(42, back.seed);
    }

    @Test
    void unknownKeysAndBadYamlAreRefusedWithTheFileName(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("bad.yaml");
        Files.writeString(f, "epochs: 3\nlearning_rate: 0.1\n");
        ConfigException e = assertThrows(ConfigException.class, () -> TrainConfig.read(f));
        assertTrue(e.getMessage().contains("unknown key 'learning_rate'") && e.getMessage().contains("bad.yaml"),
                e.getMessage());
        Files.writeString(f, "epochs: [3\n");
        e = assertThrows(ConfigException.class, () -> TrainConfig.read(f));
        assertTrue(e.getMessage().contains("bad.yaml"), e.getMessage());
        Files.writeString(f, "epochs: many\n");
        e = assertThrows(ConfigException.class, () -> TrainConfig.read(f));
        assertTrue(e.getMessage().contains("many"), e.getMessage());
    }

    @Test
    void validationListsEveryProblem() {
        TrainConfig c = new TrainConfig().with(Map.of("epochs", 0, "automix", Map.of("tap", "l9")));
        ConfigException e = assertThrows(ConfigException.class, c::validate);
        assertTrue(e.getMessage().contains("epochs") && e.getMessage().contains("l9"), e.getMessage());
    }

    /** Every section a registered method names is a field of the config, written under the section's key. */
    @Test
    void everyRegisteredMethodSectionIsPartOfTheConfig() throws IOException {
        TrainConfig c = new TrainConfig();
        var yaml = TrainConfig.yaml().readTree(c.toYaml());
        for (Class<? extends MethodOptions> type : MethodRegistry.standard().optionsTypes()) {
            assertTrue(type.isInstance(c.methodOptions(type)), type.getSimpleName());
        }
        assertTrue(yaml.get(AutoMixOptions.SECTION).isObject() && yaml.get(PuzzleMixOptions.SECTION).isObject(),
                c.toYaml());
    }

    @Test
    void anUnknownMethodIsAProblemNamingTheKnownOnes() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> new TrainConfig().with(Map.of("method", "nosuchmix")).validate());
        assertTrue(e.getMessage().contains("unknown method 'nosuchmix'"), e.getMessage());
        MethodRegistry.standard().names().forEach(m -> assertTrue(e.getMessage().contains(m), m));
    }

    /** A run's result depends on its own method's options only: the others are reset to their defaults. */
    @Test
    void aRunKeepsOnlyItsOwnMethodsOptions() {
        TrainConfig c = new TrainConfig().with(Map.of("automix", Map.of("emaEnd", 0.9), "puzzlemix",
                Map.of("eta", 0.5)));
        TrainConfig vanilla = c.with(Map.of("method", "vanilla")).withOwnOptionsOnly();
        assertEquals(new TrainConfig().with(Map.of("method", "vanilla")).toYaml(), vanilla.toYaml());
        TrainConfig automix = c.with(Map.of("method", "automix")).withOwnOptionsOnly();
        assertEquals(0.9, automix.automix.emaEnd);
        assertEquals(new PuzzleMixOptions().eta, automix.puzzlemix.eta);
        TrainConfig puzzlemix = c.with(Map.of("method", "puzzlemix")).withOwnOptionsOnly();
        assertEquals(0.5, puzzlemix.puzzlemix.eta);
        assertEquals(new AutoMixOptions().emaEnd, puzzlemix.automix.emaEnd);
        assertEquals(0.9, c.automix.emaEnd, "the config itself is left as it was");
    }
}
