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
        service().resume(interrupted, null);

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
        service().resume(interrupted, null);
        assertEquals(metricsWithoutTimes(straight), metricsWithoutTimes(interrupted));
    }

    @Test
    void resumeRefusesAFolderWithoutCheckpointOrWithAnEditedConfig(@TempDir Path dir) throws Exception {
        assertThrows(ConfigException.class, () -> service().resume(dir.resolve("nothing"), null));
        TrainConfig c = TrainServiceTest.tiny("vanilla").with(Map.of("epochs", 1, "trainLimit", 100, "testLimit", 50));
        Path run = dir.resolve("run");
        service().train(c, run, false);
        Files.writeString(run.resolve(RunFolder.CONFIG),
                Files.readString(run.resolve(RunFolder.CONFIG)).replace("lr: 0.05", "lr: 0.07"));
        ConfigException e = assertThrows(ConfigException.class, () -> service().resume(run, 2));
        assertTrue(e.getMessage().contains("different configuration"), e.getMessage());
    }
}
