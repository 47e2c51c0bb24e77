package org.automixonnx.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the CLI in-process as a user would from a shell. */
public final class CliCall {
    /** One command: its exit code and what it printed. */
    public record Run(int code, String out, String err) {
    }

    private CliCall() {
    }

    public static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Run(code, out.toString(), err.toString());
    }

    /** As {@link #run}, as {exit code, stdout, stderr}. */
    public static String[] call(String... args) {
        Run r = run(args);
        return new String[] {Integer.toString(r.code()), r.out(), r.err()};
    }
}
