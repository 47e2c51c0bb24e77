package org.automixonnx.train;

import static org.automixonnx.cli.CliCall.call;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run folder locked by another process (a child JVM holding {@link RunFolder#lockExisting}) refuses training,
 * resuming, replacing and evaluating at once, naming the holder's PID and touching nothing; once the holder is
 * killed, its lock file no longer blocks.
 */
class RunLockTest {
    @TempDir
    Path dir;

    /** Child process: locks the run folder args[0], says so, and holds it until killed or its stdin closes. */
    public static final class Holder {
        public static void main(String[] args) throws Exception {
            try (RunFolder run = RunFolder.lockExisting(Path.of(args[0]))) {
                System.out.println("locked");
                System.out.flush();
                System.in.read();
            }
        }
    }

    @Test
    void aSecondProcessIsRefusedUntilTheHolderDies() throws Exception {
        Path run = dir.resolve("run");
        RunFolder.checkNew(run, false, List.of()).create().close();
        Files.writeString(run.resolve(RunFolder.CONFIG), new TrainConfig().with(java.util.Map.of("method", "vanilla",
                "model", "resnet18-cifar-w0.125", "epochs", 1, "batchSize", 10, "trainLimit", 20, "testLimit", 10,
                "progress", false)).toYaml());
        Process holder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), Holder.class.getName(),
                run.toString()).redirectError(dir.resolve("holder.err").toFile()).start();
        try {
            BufferedReader said = new BufferedReader(new InputStreamReader(holder.getInputStream(),
                    StandardCharsets.UTF_8));
            assertEquals("locked", said.readLine(), () -> "the holder failed: " + read(dir.resolve("holder.err")));
            String busy = "run folder " + run + " is in use by another process (pid " + holder.pid() + ")";
            for (List<String> args : List.of(List.of("train", "--resume", "--out", run.toString()),
                    List.of("eval", "--run", run.toString()),
                    List.of("train", "--out", run.toString(), "--force", "--method", "vanilla", "--model",
                            "resnet18-cifar-w0.125", "--epochs", "1", "--batch-size", "10", "--train-limit", "20",
                            "--test-limit", "10", "--no-progress"))) {
                String[] r = call(args.toArray(String[]::new));
                assertEquals("1", r[0], args + ": " + r[1] + r[2]);
                assertTrue(r[2].startsWith("automix-onnx: error: " + busy), args + ": " + r[2]);
                assertEquals(1, r[2].lines().count(), r[2]);
                assertTrue(Files.isRegularFile(run.resolve(RunFolder.CONFIG)), args + ": the run's files stay");
            }
        } finally {
            holder.destroyForcibly();
            assertTrue(holder.waitFor(30, TimeUnit.SECONDS));
        }
        assertTrue(Files.exists(run.resolve(RunFolder.LOCK)), "the killed holder's lock file is still there");
        try (RunFolder mine = RunFolder.lockExisting(run)) {
            assertNotNull(mine, "a lock file nobody holds does not block");
            ConfigException again = assertThrows(ConfigException.class, () -> RunFolder.lockExisting(run));
            assertTrue(again.getMessage().contains("in use by this process"), again.getMessage());
        }
        RunFolder.lockExisting(run).close();
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (java.io.IOException e) {
            return "(no stderr)";
        }
    }
}
