package org.automixonnx.runtime;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;

/**
 * Whole-file writes that never leave a torn file behind: write a temporary file in the same folder,
 * fsync it, rename it over the target, fsync the folder. A crash at any moment leaves either the old
 * or the new content.
 */
public final class AtomicFiles {
    private static final SecureRandom RANDOM = new SecureRandom();

    private AtomicFiles() {
    }

    public static void writeString(Path target, String content) throws IOException {
        write(target, ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * Writes {@code parts} to {@code target} atomically. A failure (e.g. a full disk) leaves the previous content
     * of {@code target} untouched, removes the temporary file and fails with an IOException naming the file, and
     * saying so when the disk is full.
     */
    public static void write(Path target, ByteBuffer... parts) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Path tmp = null;
        try {
            checkReplaceable(target);
            Files.createDirectories(dir);
            tmp = createTempFile(dir, target.getFileName().toString());
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                for (ByteBuffer p : parts) {
                    ByteBuffer b = p.duplicate();
                    while (b.hasRemaining()) {
                        ch.write(b);
                    }
                }
                ch.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            syncDirectory(dir);
        } catch (IOException e) {
            throw new IOException(describe(target, e), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException e) {
                    // the temporary file is left behind; it is never read as the target (resume removes it)
                }
            }
        }
    }

    /**
     * Throws unless a regular file or nothing stands at {@code target} (a symbolic link counts as what it points
     * to): the rename would replace a device node, a FIFO or a socket with a regular file (as root, e.g. /dev/null
     * for every process on the machine), and fail on a folder with a confusing message.
     */
    public static void checkReplaceable(Path target) throws IOException {
        if (Files.exists(target) && !Files.isRegularFile(target)) {
            throw new IOException("it is " + (Files.isDirectory(target) ? "a folder" : "not a regular file (a device,"
                    + " pipe or socket)") + "; only a new file or an existing regular file can be written");
        }
    }

    /**
     * A new empty file {@code .NAME<random>.tmp} in {@code dir} with the default permissions of a new file (0666
     * less the umask, usually 0644): the rename gives the target the temp file's permissions, and
     * Files.createTempFile's 0600 would make every written file (exported models included) private to its owner.
     */
    private static Path createTempFile(Path dir, String name) throws IOException {
        while (true) {
            Path tmp = dir.resolve("." + name + Long.toUnsignedString(RANDOM.nextLong()) + ".tmp");
            try {
                return Files.createFile(tmp);
            } catch (FileAlreadyExistsException e) {
                // another writer's temp file of the same target: draw another name
            }
        }
    }

    /** "cannot write FILE: the disk is full (...)" or "cannot write FILE: reason". */
    static String describe(Path target, IOException e) {
        String reason = FileErrors.reason(e);
        String lower = reason.toLowerCase(java.util.Locale.ROOT);
        boolean full = lower.contains("no space left") || lower.contains("disk space") || lower.contains("disk full")
                || lower.contains("quota exceeded") || lower.contains("not enough space");
        return "cannot write " + target + ": " + (full ? "the disk is full (" + reason + ")" : reason)
                + "; its previous content, if any, is unchanged";
    }

    private static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Some file systems cannot fsync a directory; the rename itself is still atomic there.
        }
    }
}
