package org.automixonnx.train;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * What SIGTERM or Ctrl-C (SIGINT) does while a run trains: the trainer stops before its next iteration (no checkpoint
 * is begun after the signal, and each one on disk is a complete file, written atomically), status.json says
 * {@link RunFolder#INTERRUPTED}, the run's ORT sessions are closed, and the command exits with 128 + the signal's
 * number ({@link RunInterruptedException}). The JVM's own handling of the signals cannot do this: it runs the shutdown
 * hooks while training goes on, and ORT's hook releases its environment under the running session, which crashes the
 * JVM. A second signal goes to the handler the signal had before (the command line's, which ends the process at
 * once). {@code sun.misc.Signal} (module jdk.unsupported) is the JDK's
 * only way to handle a signal; where it is missing, or a signal is reserved (-Xrs), the JVM's handling stays.
 */
final class Interruption implements AutoCloseable {
    private final Map<Signal, SignalHandler> previous = new LinkedHashMap<>();
    private volatile Signal received;

    private Interruption() {
    }

    /** Handles SIGTERM and SIGINT until {@link #close}. */
    static Interruption install() {
        Interruption i = new Interruption();
        for (String name : List.of("TERM", "INT")) {
            try {
                Signal s = new Signal(name);
                i.previous.put(s, Signal.handle(s, i::onSignal));
            } catch (IllegalArgumentException | LinkageError e) {
                // reserved by the JVM or no such API here: this signal keeps the JVM's handling
            }
        }
        return i;
    }

    private void onSignal(Signal s) {
        if (received == null) {
            received = s;
        } else {
            SignalHandler before = previous.get(s);
            if (before == SignalHandler.SIG_DFL || before == SignalHandler.SIG_IGN) {
                // native dispositions cannot be called from Java; end the process as the command line would
                Runtime.getRuntime().halt(128 + s.getNumber());
            }
            before.handle(s);
        }
    }

    /** Whether a signal asked the run to stop. */
    boolean requested() {
        return received != null;
    }

    /** The exception that ends the command once the trainer has stopped for the signal. */
    RunInterruptedException stopped(RunFolder run) {
        return new RunInterruptedException("training stopped by SIG" + received.getName() + "; the last checkpoint in "
                + run.dir() + " is kept, and train --resume --out " + run.dir() + " continues from it",
                128 + received.getNumber());
    }

    /** Gives the signals back to the handlers they had. */
    @Override
    public void close() {
        previous.forEach(Signal::handle);
    }
}
