package org.automixonnx.train;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The OS file lock a process holds on a run folder ({@link RunFolder#LOCK}) while it trains or evaluates there,
 * so that a second process fails at once instead of interleaving metrics.jsonl and checkpoints. The lock file
 * holds the holder's PID for the error message. The OS releases the lock when the process ends, however it ends,
 * so a lock file left by a killed process never blocks: only a lock actually held counts. The file itself is
 * never deleted (a process could lock the deleted file while another creates and locks a new one).
 */
final class RunLock implements AutoCloseable {
    /**
     * Folders locked by this JVM. POSIX locks belong to the process, and closing any channel of the lock file
     * would drop them: so this JVM never opens the file of a folder it holds (a second attempt is refused here).
     */
    private static final Set<Path> HELD_HERE = ConcurrentHashMap.newKeySet();

    private final Path folder;
    private final FileChannel channel;
    private final FileLock lock;

    private RunLock(Path folder, FileChannel channel, FileLock lock) {
        this.folder = folder;
        this.channel = channel;
        this.lock = lock;
    }

    /** Locks the run folder {@code dir} (which exists), or throws naming the folder and the process holding it. */
    static RunLock acquire(Path dir) throws IOException {
        Path folder = dir.toRealPath();
        if (!HELD_HERE.add(folder)) {
            throw busy(dir, "this process (pid " + ProcessHandle.current().pid() + ")");
        }
        try {
            FileChannel ch = FileChannel.open(folder.resolve(RunFolder.LOCK), StandardOpenOption.CREATE,
                    StandardOpenOption.READ, StandardOpenOption.WRITE);
            try {
                FileLock lock = tryLock(ch);
                if (lock == null) {
                    throw busy(dir, "another process (" + holder(ch) + ")");
                }
                ch.truncate(0);
                ch.write(ByteBuffer.wrap(("pid " + ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.UTF_8)),
                        0);
                return new RunLock(folder, ch, lock);
            } catch (IOException | RuntimeException e) {
                ch.close();
                throw e;
            }
        } catch (IOException | RuntimeException e) {
            HELD_HERE.remove(folder);
            throw e;
        }
    }

    private static FileLock tryLock(FileChannel ch) throws IOException {
        try {
            return ch.tryLock();
        } catch (OverlappingFileLockException e) {
            return null; // held in this JVM through a path HELD_HERE did not recognise
        }
    }

    /** "pid N" as the holder wrote it, read through our own channel (never a second one: see HELD_HERE). */
    private static String holder(FileChannel ch) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(64);
        ch.read(b, 0);
        String s = new String(b.array(), 0, b.position(), StandardCharsets.UTF_8).strip();
        return s.matches("pid \\d+") ? s : "pid unknown";
    }

    private static ConfigException busy(Path dir, String holder) {
        return new ConfigException("run folder " + dir + " is in use by " + holder + "; wait until it ends (or stop it)"
                + " before training or evaluating in it");
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
            channel.close();
        } finally {
            HELD_HERE.remove(folder);
        }
    }
}
