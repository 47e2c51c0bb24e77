package org.automixonnx.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.automixonnx.runtime.StateFile;
import org.automixonnx.train.Checkpoints;
import org.automixonnx.train.RunFolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM during training (as a process manager stops it): the trainer stops, status.json says "interrupted", one
 * line says how to continue, the process exits with 143 (128 + SIGTERM) and without a crash (ORT's own shutdown hook
 * releasing its environment under a running session crashed the JVM), and the run resumes from its last checkpoint.
 * Outside training (here bench, its session busy) the signal ends the process at once, also without a crash.
 */
class InterruptTest {
    @TempDir
    Path dir;

    @Test
    void sigtermMarksTheRunInterruptedAndKeepsItsCheckpoint() throws Exception {
        Path run = dir.resolve("run");
        Path log = dir.resolve("child.log");
        // long enough (30 iterations x 20 epochs) that the signal lands mid-training
        Process p = ChildCli.command("1g", "train", "--out", run.toString(), "--method", "vanilla", "--model",
                "resnet18-cifar-w0.125", "--epochs", "20", "--batch-size", "20", "--train-limit", "600", "--test-limit",
                "100", "--checkpoint-iterations", "1", "--no-progress")
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
        while (p.isAlive() && !Files.exists(run.resolve(Checkpoints.LAST)) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(p.isAlive(), "training ended before the signal: " + Files.readString(log));
        p.destroy(); // SIGTERM
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the child did not stop");

        String output = Files.readString(log);
        assertEquals(143, p.exitValue(), output); // 128 + SIGTERM: the shutdown went its normal way
        JsonNode status = new ObjectMapper().readTree(run.resolve(RunFolder.STATUS).toFile());
        assertEquals(RunFolder.INTERRUPTED, status.get("status").asText(), status.toString());
        assertTrue(status.get("reason").asText().contains("train --resume"), status.toString());
        List<String> lines = output.lines().toList();
        assertEquals("automix-onnx: error: training stopped by SIGTERM; the last checkpoint in " + run + " is kept, and"
                + " train --resume --out " + run + " continues from it", lines.get(lines.size() - 1));
        assertNoCrashReport(output);

        // the checkpoint is whole (read throws, naming the file, if torn), and the run resumes from it: here only to
        // the end of the epoch it stopped in
        JsonNode at = StateFile.read(run.resolve(Checkpoints.LAST)).meta().get("trainer");
        int begun = at.get("epoch").asInt() + (at.get("batch").asInt() > 0 ? 1 : 0);
        String[] resumed = CliCall.call("train", "--resume", "--out", run.toString(), "--epochs",
                Integer.toString(Math.max(1, begun)));
        assertEquals("0", resumed[0], resumed[1] + resumed[2]);
        assertEquals(RunFolder.FINISHED, new ObjectMapper().readTree(run.resolve(RunFolder.STATUS).toFile())
                .get("status").asText());
    }

    @Test
    void sigtermWhileASessionRunsOutsideTrainingEndsTheProcessWithoutACrash() throws Exception {
        Path log = dir.resolve("bench.log");
        Process p = ChildCli.command("1g", "bench", "--model", "resnet18-cifar-w0.125", "--channels", "1",
                "--image-size", "28", "--batch-size", "8", "--steps", "1000000", "--warmup", "1")
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
        while (p.isAlive() && !Files.readString(log).contains("warm-up done") && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(p.isAlive(), "bench ended before the signal: " + Files.readString(log));
        Thread.sleep(200); // well inside the timed steps: the step session is running when the signal comes
        p.destroy();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the child did not stop");
        String output = Files.readString(log);
        assertEquals(143, p.exitValue(), output);
        assertNoCrashReport(output);
    }

    private void assertNoCrashReport(String output) throws java.io.IOException {
        assertFalse(output.contains("A fatal error has been detected"), output);
        try (Stream<Path> s = Files.list(dir)) {
            assertFalse(s.anyMatch(f -> f.getFileName().toString().startsWith("hs_err")), "a JVM crash report: "
                    + output);
        }
    }
}
