package org.automixonnx.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.automixonnx.runtime.AtomicFiles;
import org.automixonnx.runtime.FileErrors;

/**
 * The folder of one training run: resolved config, generated graphs, metrics, curves, checkpoints and
 * a {@code status.json} that says whether the run is running, finished or failed (a folder whose status
 * is not "finished" never looks like a complete run). A folder this tool creates carries {@link #MARKER}, the
 * only kind of folder {@code --force} replaces ({@link ForceReplace}); a process training or evaluating in it
 * holds {@link #LOCK} ({@link RunLock}), released by {@link #close}.
 */
public final class RunFolder implements AutoCloseable {
    public static final String CONFIG = "config.yaml";
    public static final String STATUS = "status.json";
    /** The {@link #STATUS} status of a run that completed its epochs and its final evaluation. */
    public static final String FINISHED = "finished";
    /** The status while a process trains the run (or after it was killed without a chance to say so). */
    public static final String RUNNING = "running";
    /** The status of a run whose training stopped with an error. */
    public static final String FAILED = "failed";
    /** The status of a run whose process was stopped by a signal (SIGTERM, Ctrl-C); --resume continues it. */
    public static final String INTERRUPTED = "interrupted";
    /** Written into every run folder when it is created: what tells a run folder from any other folder. */
    public static final String MARKER = ".automix-run";
    /** The file a process locks while it trains or evaluates in the folder. */
    public static final String LOCK = ".automix-lock";
    private final Path dir;
    private final RunLock lock;

    private RunFolder(Path dir, RunLock lock) {
        this.dir = dir;
        this.lock = lock;
    }

    /**
     * Checks the folder for a new run, changing nothing: it must be absent or empty, unless {@code force}: then it
     * must be a run folder that {@link ForceReplace} allows replacing (not holding any of {@code inputs}).
     * {@link NewFolder#create} then makes it. In between, the caller checks everything else that can refuse the
     * run, so a refused input never leaves a folder behind nor deletes an old run.
     */
    public static NewFolder checkNew(Path dir, boolean force, List<ForceReplace.Input> inputs) throws IOException {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new ConfigException("--out " + dir + " is a file, not a folder");
        }
        Path above = dir.toAbsolutePath().getParent();
        while (above != null && !Files.exists(above)) {
            above = above.getParent();
        }
        if (above != null && !Files.isDirectory(above)) {
            throw new ConfigException("--out " + dir + ": " + above + " is a file, not a folder");
        }
        List<Path> old = entries(dir);
        if (!old.isEmpty()) {
            if (!force) {
                throw new ConfigException("output folder " + dir + " already exists; use --resume to continue that run"
                        + " or --force to replace it");
            }
            ForceReplace.checkRunFolder(dir, inputs);
        }
        return new NewFolder(dir, old);
    }

    /** A checked folder for a new run, and what was in it when checked (what --force deletes). */
    public static final class NewFolder {
        private final Path dir;
        private final List<Path> old;

        private NewFolder(Path dir, List<Path> old) {
            this.dir = dir;
            this.old = old;
        }

        /**
         * Creates the folder, locks it, deletes what it held when checked (once the lock is held, so a run in
         * progress there is never disturbed; what appeared since, e.g. a --profile folder inside it, stays) and marks
         * it as a run folder.
         */
        public RunFolder create() throws IOException {
            try {
                Files.createDirectories(dir);
            } catch (IOException e) {
                throw new ConfigException("cannot create the run folder " + dir + ": " + FileErrors.reason(e));
            }
            RunLock lock = RunLock.acquire(dir);
            try {
                for (Path p : old) {
                    deleteTree(p);
                }
                AtomicFiles.writeString(dir.resolve(MARKER), "automix-onnx run folder\ncreated " + Instant.now() + "\n");
                return new RunFolder(dir, lock);
            } catch (IOException | RuntimeException e) {
                lock.close();
                throw e;
            }
        }
    }

    /** Locks an existing run's folder to continue training in it, or to evaluate it into its own files. */
    public static RunFolder lockExisting(Path dir) throws IOException {
        existing(dir);
        RunLock lock = RunLock.acquire(dir);
        try {
            // only now: the temp files of a process still writing are its own until it has let go of the lock
            removeStaleTempFiles(dir);
            return new RunFolder(dir, lock);
        } catch (IOException | RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    /** An existing run's folder to read (its config, checkpoints); not locked, nothing in it is changed. */
    public static RunFolder existing(Path dir) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new ConfigException(dir + " is a file, not a run folder");
        }
        if (!Files.isDirectory(dir) || !Files.isRegularFile(dir.resolve(CONFIG))) {
            throw new ConfigException("run folder " + dir + " holds no run (no " + CONFIG + ")");
        }
        return new RunFolder(dir, null);
    }

    /** Releases the lock, if this process holds one on the folder. */
    @Override
    public void close() throws IOException {
        if (lock != null) {
            lock.close();
        }
    }

    /**
     * Deletes the temporary files of atomic writes that a killed process left behind ({@code .NAME*.tmp}); they
     * are never read as checkpoints, and the resumed run rewrites what they were for.
     */
    static void removeStaleTempFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.toList()) {
                String n = p.getFileName().toString();
                if (n.startsWith(".") && n.endsWith(".tmp") && Files.isRegularFile(p)) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /**
     * What the folder holds (none when absent), the lock file aside: a folder holding only that is empty (a process
     * was killed between locking a new folder and marking it), and the lock file is never deleted (see RunLock).
     */
    private static List<Path> entries(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> !p.getFileName().toString().equals(LOCK)).toList();
        }
    }

    /**
     * Deletes {@code root} and, if it is a folder, everything in it. Symbolic links are deleted, never followed: a
     * link to a data set inside an old run deletes the link, not the data set.
     */
    private static void deleteTree(Path root) throws IOException {
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path p, BasicFileAttributes attrs) throws IOException {
                Files.delete(p);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    public Path dir() {
        return dir;
    }

    public Path resolve(String name) {
        return dir.resolve(name);
    }

    public Path graphs() {
        return dir.resolve("graphs");
    }

    /** Saves the run's config; the profile folder is left out (it applies to one invocation, not to the run). */
    public void writeConfig(TrainConfig c) throws IOException {
        TrainConfig saved = c.copy();
        saved.profile = null;
        AtomicFiles.writeString(dir.resolve(CONFIG), saved.toYaml());
    }

    public TrainConfig readConfig() throws IOException {
        return TrainConfig.read(dir.resolve(CONFIG));
    }

    /** The status status.json records (running, finished, failed), or null when the run wrote none yet. */
    public String readStatus() throws IOException {
        Path file = dir.resolve(STATUS);
        if (!Files.isRegularFile(file)) {
            return null;
        }
        return new ObjectMapper().readTree(file.toFile()).path("status").asText(null);
    }

    /** Writes status.json atomically: status (running / finished / failed / interrupted) plus any details. */
    public void status(String status, Map<String, Object> details) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", status);
        m.putAll(details);
        AtomicFiles.writeString(dir.resolve(STATUS), new ObjectMapper().writerWithDefaultPrettyPrinter()
                .writeValueAsString(m) + "\n");
    }
}
