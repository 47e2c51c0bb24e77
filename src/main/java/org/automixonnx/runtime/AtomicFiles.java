package org.automixonnx.runtime;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Whole-file writes that never leave a torn file behind: write a temporary file in the same folder,
 * fsync it, rename it over the target, fsync the folder. A crash at any moment leaves either the old
 * or the new content.
 */
public final class AtomicFiles {
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
            Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
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

    /** "cannot write FILE: the disk is full (...)" or "cannot write FILE: reason". */
    static String describe(Path target, IOException e) {
        String reason = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        if (e instanceof java.nio.file.FileSystemException fse && fse.getReason() != null) {
            reason = fse.getReason() + (fse.getFile() != null ? " (" + fse.getFile() + ")" : "");
        }
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
