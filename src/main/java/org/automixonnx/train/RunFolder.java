package org.automixonnx.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.automixonnx.runtime.AtomicFiles;

/**
 * The folder of one training run: resolved config, generated graphs, metrics, curves, checkpoints and
 * a {@code status.json} that says whether the run is running, finished or failed (a folder whose status
 * is not "finished" never looks like a complete run).
 */
public final class RunFolder {
    public static final String CONFIG = "config.yaml";
    public static final String STATUS = "status.json";
    private final Path dir;

    private RunFolder(Path dir) {
        this.dir = dir;
    }

    /**
     * Opens the folder for a new run ({@code resume = false}: must be absent or empty, unless {@code force},
     * which clears it) or for resuming one (must hold a run).
     */
    public static RunFolder open(Path dir, boolean resume, boolean force) throws IOException {
        boolean exists = Files.isDirectory(dir);
        boolean empty = !exists || isEmpty(dir);
        if (resume) {
            if (!exists || !Files.isRegularFile(dir.resolve(CONFIG))) {
                throw new ConfigException("cannot resume: " + dir + " holds no run (no " + CONFIG + ")");
            }
            removeStaleTempFiles(dir);
        } else if (!empty) {
            if (!force) {
                throw new ConfigException("output folder " + dir + " already exists; use --resume to continue that run"
                        + " or --force to replace it");
            }
            clear(dir);
        }
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new ConfigException("output path " + dir + " is a file, not a folder");
        }
        Files.createDirectories(dir);
        return new RunFolder(dir);
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

    private static boolean isEmpty(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        }
    }

    private static void clear(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                if (!p.equals(dir)) {
                    Files.delete(p);
                }
            }
        }
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

    public Path checkpoints() {
        return dir.resolve("checkpoints");
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

    /** Writes status.json atomically: status (running / finished / failed) plus any details. */
    public void status(String status, Map<String, Object> details) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", status);
        m.putAll(details);
        AtomicFiles.writeString(dir.resolve(STATUS), new ObjectMapper().writerWithDefaultPrettyPrinter()
                .writeValueAsString(m) + "\n");
    }
}
