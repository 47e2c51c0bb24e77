package org.automixonnx.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.automixonnx.runtime.AtomicFiles;

/**
 * A single file the user names as a command's output ({@code export --out}, {@code visualize --out}), checked
 * before any work: it is written only where a regular file or nothing stands, and never over an existing file of
 * a run folder (one carrying {@link RunFolder#MARKER}). That rule refuses an earlier export in a run folder too:
 * by name alone it cannot be told from the run's own files (checkpoints, config.yaml, metrics.jsonl, a model file's
 * copy), and a new name there, or any path outside, is always allowed.
 */
public final class OutputFile {
    private OutputFile() {
    }

    /** Throws, naming {@code option}, the path and what is allowed, unless the command may write {@code file}. */
    public static void check(String option, Path file) {
        String refusal = option + " " + file + ": ";
        try {
            AtomicFiles.checkReplaceable(file);
        } catch (IOException e) {
            throw new ConfigException(refusal + e.getMessage());
        }
        Path folder = file.toAbsolutePath().getParent();
        if (Files.exists(file) && folder != null && Files.isRegularFile(folder.resolve(RunFolder.MARKER))) {
            throw new ConfigException(refusal + "it is a file of the run folder " + folder + ", which belongs to the run;"
                    + " write to a new file name or outside the run folder");
        }
    }
}
