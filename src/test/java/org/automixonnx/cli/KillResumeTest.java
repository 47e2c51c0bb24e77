package org.automixonnx.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.automixonnx.runtime.StateFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Trains in a child JVM and SIGKILLs it at random moments, once while a checkpoint is being written (a temp
 * file of the atomic write is on disk), then resumes. Every resume must succeed, every *.state file on disk
 * must read cleanly at every kill, and the finished run must log exactly the metrics of an uninterrupted run.
 */
class KillResumeTest {
    @TempDir
    Path dir;

    private static final List<String> RUN = List.of("--method", "vanilla", "--model", "resnet18-cifar-w0.125",
            "--epochs", "2", "--batch-size", "20", "--train-limit", "200", "--test-limit", "40", "--lr", "0.05",
            "--no-progress");

    private Process start(Path run, boolean resume, int attempt) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                "org.automixonnx.cli.Main", "train", "--out", run.toString()));
        if (resume) {
            cmd.add("--resume");
            cmd.add("--no-progress");
        } else {
            cmd.addAll(RUN);
            cmd.addAll(List.of("--checkpoint-iterations", "1", "--checkpoint-every", "1"));
        }
        return new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve("child-" + attempt + ".log").toFile()).start();
    }

    private static List<Path> files(Path run) throws IOException {
        if (!Files.isDirectory(run)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(run)) {
            return s.toList();
        }
    }

    /** The file's modification time in nanoseconds, or -1 while it does not exist. */
    private static long modified(Path file) {
        try {
            return Files.getLastModifiedTime(file).to(TimeUnit.NANOSECONDS);
        } catch (IOException e) {
            return -1;
        }
    }

    private static boolean tempFilePresent(Path run) throws IOException {
        return files(run).stream().anyMatch(p -> p.getFileName().toString().matches("\\.(last|best|epoch-\\d+)\\.state.*\\.tmp"));
    }

    /** Every checkpoint on disk reads (magic, version, checksums); temp files are never named *.state. */
    private static int checkCheckpoints(Path run) throws IOException {
        int n = 0;
        for (Path p : files(run)) {
            String name = p.getFileName().toString();
            if (name.endsWith(".state")) {
                assertTrue(!name.startsWith("."), "a temp file looks like a checkpoint: " + name);
                StateFile.read(p); // throws, naming the file, if torn or corrupt
                n++;
            }
        }
        return n;
    }

    @Test
    void killedAtRandomMomentsTheRunAlwaysResumesAndNoCheckpointIsCorrupt() throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        Path run = dir.resolve("run");
        int kills = 0;
        boolean caughtMidWrite = false;
        boolean finished = false;
        StringBuilder story = new StringBuilder("seed " + seed + ":");
        for (int attempt = 0; attempt < 8 && !finished; attempt++) {
            Process p = start(run, attempt > 0 && Files.exists(run.resolve("config.yaml")), attempt);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            boolean killed = false;
            if (kills < 4) {
                if (kills == 0) {
                    // kill while an atomic write is under way
                    while (p.isAlive() && System.nanoTime() < deadline && !caughtMidWrite) {
                        caughtMidWrite = tempFilePresent(run);
                    }
                } else {
                    // a random moment after this process has written 1-3 more checkpoints (one per iteration):
                    // every such kill lands mid-run with progress to resume from, and three of them fit in the
                    // run's 20 iterations (a wall-clock delay either missed the run's end or every checkpoint)
                    int writes = 1 + random.nextInt(3);
                    Path last = run.resolve("last.state");
                    long seen = modified(last);
                    while (p.isAlive() && System.nanoTime() < deadline && writes > 0) {
                        long now = modified(last);
                        if (now != seen) {
                            seen = now;
                            writes--;
                        }
                        Thread.sleep(1);
                    }
                    Thread.sleep(random.nextInt(50));
                }
                if (p.isAlive()) {
                    p.destroyForcibly(); // SIGKILL
                    killed = true;
                    kills++;
                }
            }
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "child did not end");
            String log = Files.readString(dir.resolve("child-" + attempt + ".log"));
            if (!killed) {
                assertEquals(0, p.exitValue(), "a resume failed:\n" + log);
                finished = true;
            }
            int checkpoints = checkCheckpoints(run);
            story.append(killed ? " kill" : " done").append(" (").append(checkpoints).append(" checkpoints")
                    .append(tempFilePresent(run) ? ", temp file left" : "").append(")");
        }
        assertTrue(finished, story.toString());
        assertTrue(kills >= 3, story.toString());
        assertTrue(caughtMidWrite, "one kill during a checkpoint write: " + story);
        assertTrue(!tempFilePresent(run), "the last resume removed stale temp files: " + story);
        assertEquals("finished", new ObjectMapper().readTree(run.resolve("status.json").toFile()).get("status").asText());

        Path straight = dir.resolve("straight");
        List<String> args = new ArrayList<>(List.of("train", "--out", straight.toString()));
        args.addAll(RUN);
        assertEquals(0, CliCall.run(args.toArray(String[]::new)).code());
        assertEquals(metrics(straight), metrics(run), story.toString());
        System.out.println("KillResumeTest " + story);
    }

    private static List<String> metrics(Path run) throws IOException {
        return Files.readAllLines(run.resolve("metrics.jsonl")).stream()
                .map(l -> l.replaceAll(",\"(images_per_s|wall_s)\":[-0-9.Ee]+", "")).toList();
    }
}
