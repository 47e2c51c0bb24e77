package org.automixonnx.cli;

/** A failure the user can act on: reported as one line, exit code 1, no stack trace unless --debug. */
public final class CliFailure extends RuntimeException {
    public CliFailure(String message) {
        super(message);
    }

    public CliFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
