package org.automixonnx.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.automixonnx.runtime.CheckpointMeta;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run stopped after an epoch and resumed produces exactly the metrics of the uninterrupted run. */
class ResumeTest {
    private static TrainService service() {
        return new TrainService(new PrintWriter(new StringWriter()));
    }

    private static List<String> metricsWithoutTimes(Path run) throws Exception {
        return Files.readAllLines(run.resolve(MetricsLog.JSONL)).stream()
                .map(l -> l.replaceAll(",\"(images_per_s|wall_s)\":[-0-9.Ee]+", "")).toList();
    }

    @Test
    void resumedAutoMixRunMatchesTheStraightRunExactly(@TempDir Path dir) throws Exception {
        TrainConfig c = TrainServiceTest.tiny("automix").with(Map.of("epochs", 2, "trainLimit", 300, "testLimit", 100));
        Path straight = dir.resolve("straight");
        service().train(c, straight, false);

        Path interrupted = dir.resolve("interrupted");
        service().trainUntil(c, interrupted, 1);
        assertEquals(1, Files.readAllLines(interrupted.resolve(MetricsLog.JSONL)).size());
        assertEquals("running", new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(interrupted.resolve(RunFolder.STATUS).toFile()).get("status").asText());
        service().resume(interrupted, (Integer) null);

        assertEquals(metricsWithoutTimes(straight), metricsWithoutTimes(interrupted));
        assertTrue(Files.isRegularFile(interrupted.resolve(Checkpoints.BEST)));
        assertEquals("finished", new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(interrupted.resolve(RunFolder.STATUS).toFile()).get("status").asText());
    }

    /** PuzzleMix's saliency reads the live state and its draws come from the iteration's generator: resumable too. */
    @Test
    void resumedPuzzleMixRunMatchesTheStraightRunExactly(@TempDir Path dir) throws Exception {
        TrainConfig c = TrainServiceTest.tiny("puzzlemix").with(Map.of("epochs", 2, "trainLimit", 200, "testLimit", 50));
        Path straight = dir.resolve("straight");
        service().train(c, straight, false);
        Path interrupted = dir.resolve("interrupted");
        service().trainUntil(c, interrupted, 1);
        service().resume(interrupted, (Integer) null);
        assertEquals(metricsWithoutTimes(straight), metricsWithoutTimes(interrupted));
    }

    /** Runs with every step's losses recorded. */
    private static final class Recorded {
        final List<DecoratedMethod> methods = new java.util.ArrayList<>();
        final TrainService service = new TrainService(new PrintWriter(new StringWriter()), m -> {
            DecoratedMethod d = new DecoratedMethod(m);
            methods.add(d);
            return d;
        });

        List<DecoratedMethod.Step> steps() {
            List<DecoratedMethod.Step> all = new java.util.ArrayList<>();
            methods.forEach(m -> all.addAll(m.steps));
            return all;
        }
    }

    /**
     * Killed mid-epoch (after iteration k, with mid-epoch checkpoints every 2 iterations) and resumed: the
     * resumed run redoes the iterations after the last checkpoint and its whole loss sequence, every epoch's
     * metrics and the final evaluation equal those of the uninterrupted run bit for bit.
     */
    @Test
    void runKilledMidEpochResumesAtTheExactIteration(@TempDir Path dir) throws Exception {
        TrainConfig c = TrainServiceTest.tiny("automix").with(Map.of("epochs", 2, "trainLimit", 200, "testLimit", 50,
                "checkpointIterations", 2, "checkpointEvery", 1));
        Recorded straight = new Recorded();
        straight.service.train(c.with(Map.of("checkpointIterations", 0)), dir.resolve("straight"), false);
        List<DecoratedMethod.Step> expected = straight.steps();
        assertEquals(8, expected.size(), "2 epochs of 4 batches");

        for (long k : new long[] {3, 7}) {
            Path run = dir.resolve("killed-after-" + k);
            Recorded first = new Recorded();
            first.service.trainUntilIteration(c, run, k);
            Path lastFile = run.resolve(Checkpoints.LAST);
            org.automixonnx.runtime.StateFile last = org.automixonnx.runtime.StateFile.read(lastFile);
            TrainPosition at = TrainPosition.fromMeta(CheckpointMeta.fromJson(last.meta(), lastFile), "top1_one_k");
            long resumeFrom = k / 2 * 2;
            assertEquals(resumeFrom, at.epoch() * 4L + at.batch(), "last.state is the checkpoint before iteration " + k);
            Recorded resumed = new Recorded();
            resumed.service.resume(run, (Integer) null);
            List<DecoratedMethod.Step> got = new java.util.ArrayList<>(first.steps().subList(0, (int) resumeFrom));
            got.addAll(resumed.steps());
            assertEquals(resumeFrom, resumed.steps().get(0).index(), "resumed at the checkpoint's iteration");
            assertEquals(expected, got, "loss sequence after a kill after iteration " + k);
            assertEquals(metricsWithoutTimes(dir.resolve("straight")), metricsWithoutTimes(run));
            com.fasterxml.jackson.databind.JsonNode want = new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(dir.resolve("straight").resolve("eval.json").toFile());
            com.fasterxml.jackson.databind.JsonNode have = new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(run.resolve("eval.json").toFile());
            assertEquals(want.get("metrics"), have.get("metrics"));
            assertEquals(want.get("classifiers"), have.get("classifiers"));
            for (int e = 1; e <= 2; e++) {
                assertTrue(Files.isRegularFile(run.resolve(Checkpoints.epochFile(e))), "kept epoch-00" + e + ".state");
            }
        }
        assertEquals(2, org.automixonnx.runtime.StateFile.read(dir.resolve("killed-after-7")
                .resolve("epoch-002.state")).meta().get("epochs_done").asInt());
    }

    @Test
    void resumeWithoutAnyCheckpointStartsTheRunAgain(@TempDir Path dir) throws Exception {
        TrainConfig c = TrainServiceTest.tiny("vanilla").with(Map.of("epochs", 1, "trainLimit", 100, "testLimit", 50));
        Path run = dir.resolve("run");
        service().trainUntilIteration(c, run, 1);
        assertTrue(!Files.exists(run.resolve(Checkpoints.LAST)));
        Files.writeString(run.resolve(".last.state123.tmp"), "torn");
        service().resume(run, (Integer) null);
        assertEquals("finished", new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(run.resolve(RunFolder.STATUS).toFile()).get("status").asText());
        assertTrue(!Files.exists(run.resolve(".last.state123.tmp")), "stale temp files are removed on resume");
    }

    @Test
    void resumeRefusesAFolderWithoutCheckpointOrWithAnEditedConfig(@TempDir Path dir) throws Exception {
        assertThrows(ConfigException.class, () -> service().resume(dir.resolve("nothing"), (Integer) null));
        TrainConfig c = TrainServiceTest.tiny("vanilla").with(Map.of("epochs", 1, "trainLimit", 100, "testLimit", 50));
        Path run = dir.resolve("run");
        service().train(c, run, false);
        Files.writeString(run.resolve(RunFolder.CONFIG),
                Files.readString(run.resolve(RunFolder.CONFIG)).replace("lr: 0.05", "lr: 0.07"));
        ConfigException e = assertThrows(ConfigException.class, () -> service().resume(run, 2));
        assertTrue(e.getMessage().contains("different configuration"), e.getMessage());
    }
}
