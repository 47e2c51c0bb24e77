package org.automixonnx.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What {@code --force} may delete. It replaces a run folder this tool created (one carrying
 * {@link RunFolder#MARKER}) and nothing else: never a folder without the marker (a data set, a home folder, a
 * project), never the working folder, the home folder, the filesystem root or an ancestor of them, and never a
 * folder holding one of the command's inputs (the data, the model file, the config file), since a typo in
 * {@code --out} must not cost the user anything but an error line.
 */
public final class ForceReplace {
    /** A file or folder the command reads, which --force must not delete: the option that named it and its path. */
    public record Input(String option, Path path) {
    }

    private ForceReplace() {
    }

    /** Throws, naming --out, the folder and why, unless --force may replace the run folder {@code dir}. */
    static void checkRunFolder(Path dir, List<Input> inputs) throws IOException {
        String refusal = "--out " + dir + ": --force will not replace this folder: ";
        checkLocation(dir, inputs, refusal);
        if (!Files.isRegularFile(dir.resolve(RunFolder.MARKER), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            throw new ConfigException(refusal + "it is not a run folder (automix-onnx marks the run folders it creates"
                    + " with a " + RunFolder.MARKER + " file); delete it yourself or choose another --out");
        }
    }

    /**
     * Throws unless --force may replace run folders inside {@code dir} (compare's output folder, which is not
     * deleted itself): the same places are off limits as for a run folder.
     */
    static void checkParentFolder(Path dir, List<Input> inputs) throws IOException {
        if (Files.isDirectory(dir)) {
            checkLocation(dir, inputs, "--out " + dir + ": --force will not replace run folders in this folder: ");
        }
    }

    private static void checkLocation(Path dir, List<Input> inputs, String refusal) throws IOException {
        if (Files.isSymbolicLink(dir)) {
            // deleting through a link would delete wherever it points; the user can name the folder itself
            throw new ConfigException(refusal + "it is a symbolic link (give the folder it points to)");
        }
        Path real = dir.toRealPath();
        if (real.getParent() == null) {
            throw new ConfigException(refusal + "it is the filesystem root");
        }
        Path home = realOrNull(Path.of(System.getProperty("user.home", "/")));
        if (home != null && home.startsWith(real)) {
            throw new ConfigException(refusal + "it is " + (home.equals(real) ? "the home folder" : "an ancestor of the"
                    + " home folder " + home));
        }
        Path work = Path.of("").toRealPath();
        if (work.startsWith(real)) {
            throw new ConfigException(refusal + "it is " + (work.equals(real) ? "the working folder" : "an ancestor of"
                    + " the working folder " + work));
        }
        for (Input in : inputs) {
            Path p = realOrNull(in.path());
            if (p != null && p.startsWith(real)) {
                throw new ConfigException(refusal + "it " + (p.equals(real) ? "is" : "contains") + " " + in.option()
                        + " " + in.path() + ", an input of this command");
            }
        }
    }

    private static Path realOrNull(Path p) {
        try {
            return p.toRealPath();
        } catch (IOException e) {
            return null; // absent: nothing there to protect
        }
    }
}
