package org.automixonnx.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.automixonnx.data.Batch;
import org.automixonnx.data.BatchLoader;
import org.automixonnx.mixup.Iteration;
import org.automixonnx.mixup.MixMethod;
import org.automixonnx.onnx.Tensor;
import org.automixonnx.runtime.CheckpointMeta;
import org.automixonnx.runtime.StateFile;
import org.automixonnx.runtime.StateStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A NaN/Inf loss stops the run keeping the last good checkpoint, or (nanPolicy skip) discards that step. */
class NanPolicyTest {
    private static Map<String, byte[]> bytes(MixMethod m) {
        Map<String, byte[]> out = new java.util.LinkedHashMap<>();
        for (StateStore s : m.state().values()) {
            s.toTensors().forEach((name, t) -> {
                byte[] b = new byte[t.bytes().remaining()];
                t.bytes().get(b);
                out.put(name, b);
            });
        }
        return out;
    }

    private static void assertSameState(Map<String, byte[]> want, Map<String, byte[]> have) {
        assertEquals(want.keySet(), have.keySet());
        want.forEach((k, v) -> assertArrayEquals(v, have.get(k), k));
    }

    /** snapshot, a step, rollback, then step B = step B alone (manifoldmix also switches its live runner). */
    @ParameterizedTest
    @ValueSource(strings = {"vanilla", "automix", "manifoldmix", "puzzlemix"})
    void rollbackUndoesAStepOfEveryMethod(String name) throws Exception {
        TrainConfig c = TrainServiceTest.tiny(name).with(Map.of("trainLimit", 100, "testLimit", 50));
        RunSetup setup = RunSetup.of(c);
        try (BatchLoader loader = setup.trainLoader(); MixMethod a = setup.method(2); MixMethod b = setup.method(2)) {
            Iterator<Batch> it = loader.epoch(0);
            Batch first = it.next();
            Batch second = it.next();
            assertSameState(bytes(a), bytes(b));
            Map<String, byte[]> before = bytes(a);
            // a few draws, so manifoldmix mixes at more than one site
            for (int i = 0; i < 4; i++) {
                a.snapshot();
                a.step(first, new Iteration(0, 0, 2, 0.05, new SplittableRandom(100 + i)));
                Map<String, byte[]> after = bytes(a);
                assertFalse(before.keySet().stream().allMatch(k -> java.util.Arrays.equals(before.get(k), after.get(k))),
                        "the step changed the state");
                a.rollback();
                assertSameState(before, bytes(a));
            }
            a.step(second, new Iteration(0, 1, 2, 0.05, new SplittableRandom(7)));
            b.step(second, new Iteration(0, 1, 2, 0.05, new SplittableRandom(7)));
            assertSameState(bytes(b), bytes(a));
        }
    }

    @Test
    void nanLossStopsNamingTheStepAndTermAndKeepsTheLastGoodCheckpoint(@TempDir Path dir) throws Exception {
        TrainConfig c = TrainServiceTest.tiny("vanilla").with(Map.of("epochs", 1, "trainLimit", 300, "testLimit", 50,
                "checkpointIterations", 1));
        TrainService service = new TrainService(new PrintWriter(new StringWriter()), m -> new DecoratedMethod(m,
                (inner, it) -> {
                    if (it.index() == 4) {
                        DecoratedMethod.poison(inner);
                    }
                    return null;
                }));
        Path run = dir.resolve("run");
        DivergenceException e = assertThrows(DivergenceException.class, () -> service.train(c, run, false));
        assertTrue(e.getMessage().startsWith("loss term 'loss' is NaN at iteration 4 (epoch 1, batch 4)"),
                e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
        JsonNode status = new ObjectMapper().readTree(run.resolve(RunFolder.STATUS).toFile());
        assertEquals("failed", status.get("status").asText());
        assertTrue(status.get("error").asText().contains("iteration 4"), status.toString());
        StateFile last = StateFile.read(run.resolve(Checkpoints.LAST));
        assertEquals(4, TrainPosition.fromMeta(CheckpointMeta.fromJson(last.meta(), run.resolve(Checkpoints.LAST)), "top1")
                .batch(), "the checkpoint after iteration 3");
        for (Tensor t : last.tensors().values()) {
            if (t.dtype() == org.automixonnx.onnx.DType.FLOAT) {
                for (float v : t.floats()) {
                    assertTrue(Float.isFinite(v));
                }
            }
        }
        assertFalse(Files.exists(run.resolve("eval.json")));
    }

    /**
     * With skip, the poisoned step is rolled back: the run ends exactly as one whose method never ran that step
     * (same later losses, metrics, final state), and logs the skipped step.
     */
    @Test
    void skipDiscardsTheDivergedStepsUpdate(@TempDir Path dir) throws Exception {
        TrainConfig c = TrainServiceTest.tiny("vanilla").with(Map.of("epochs", 1, "trainLimit", 300, "testLimit", 50,
                "nanPolicy", "skip"));
        List<DecoratedMethod> poisoned = new ArrayList<>();
        StringWriter console = new StringWriter();
        new TrainService(new PrintWriter(console), m -> {
            DecoratedMethod d = new DecoratedMethod(m, (inner, it) -> {
                if (it.index() == 3) {
                    DecoratedMethod.poison(inner);
                }
                return null;
            });
            poisoned.add(d);
            return d;
        }).train(c, dir.resolve("poisoned"), false);
        List<DecoratedMethod> skipped = new ArrayList<>();
        new TrainService(new PrintWriter(new StringWriter()), m -> {
            DecoratedMethod d = new DecoratedMethod(m, (inner, it) -> it.index() == 3 ? Map.of("loss", Double.NaN)
                    : null);
            skipped.add(d);
            return d;
        }).train(c, dir.resolve("never-ran"), false);

        assertTrue(Double.isNaN(poisoned.get(0).steps.get(3).losses().get("loss")), "step 3 diverged");
        List<DecoratedMethod.Step> a = new ArrayList<>(poisoned.get(0).steps);
        List<DecoratedMethod.Step> b = new ArrayList<>(skipped.get(0).steps);
        a.remove(3);
        b.remove(3);
        assertEquals(b, a, "every other step is as if step 3 never ran");
        String metrics = Files.readString(dir.resolve("poisoned").resolve(MetricsLog.JSONL));
        assertTrue(metrics.contains("\"skipped_steps\":1.0"), metrics);
        assertEquals(Files.readString(dir.resolve("never-ran").resolve(MetricsLog.JSONL))
                .replaceAll(",\"(images_per_s|wall_s)\":[-0-9.Ee]+", ""),
                metrics.replaceAll(",\"(images_per_s|wall_s)\":[-0-9.Ee]+", ""));
        JsonNode status = new ObjectMapper().readTree(dir.resolve("poisoned").resolve(RunFolder.STATUS).toFile());
        assertEquals("finished", status.get("status").asText());
        assertEquals(1, status.get("skipped_steps").asInt());
        assertEquals("finished with 1 of 6 steps skipped", status.get("outcome").asText());
        List<String> lines = console.toString().lines().toList();
        assertEquals("finished with 1 of 6 steps skipped (--on-nan skip): " + dir.resolve("poisoned"),
                lines.get(lines.size() - 1), "the final line says so");
        StateFile x = StateFile.read(dir.resolve("poisoned").resolve(Checkpoints.LAST));
        StateFile y = StateFile.read(dir.resolve("never-ran").resolve(Checkpoints.LAST));
        for (String name : y.tensors().keySet()) {
            assertEquals(y.tensors().get(name).bytes(), x.tensors().get(name).bytes(), name);
        }
    }

    @Test
    void skipGivesUpWhenTrainingDoesNotRecover(@TempDir Path dir) {
        TrainConfig c = TrainServiceTest.tiny("vanilla").with(Map.of("epochs", 1, "trainLimit", 1000, "testLimit", 50,
                "nanPolicy", "skip"));
        TrainService service = new TrainService(new PrintWriter(new StringWriter()), m -> new DecoratedMethod(m,
                (inner, it) -> it.index() >= 2 ? Map.of("loss", Double.POSITIVE_INFINITY) : null));
        DivergenceException e = assertThrows(DivergenceException.class, () -> service.train(c, dir.resolve("r"), false));
        assertTrue(e.getMessage().contains("loss term 'loss' is Infinity at iteration 11")
                && e.getMessage().contains("10 steps in a row"), e.getMessage());
    }
}
