package org.automixonnx.train;

/** A run stopped by a signal ({@link Interruption}); the command exits with {@link #exitCode} (128 + the signal). */
public final class RunInterruptedException extends RuntimeException {
    private final int exitCode;

    RunInterruptedException(String message, int exitCode) {
        super(message);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
