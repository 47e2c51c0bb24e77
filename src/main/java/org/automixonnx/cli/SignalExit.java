package org.automixonnx.cli;

import java.util.List;
import sun.misc.Signal;

/**
 * SIGTERM and Ctrl-C (SIGINT) outside training end the process at once with 128 + the signal's number, without the
 * JVM's shutdown sequence. That sequence runs ORT's shutdown hook, which releases ORT's environment while a session of
 * eval, export, visualize or bench may still be running in it, and the JVM crashes (SIGSEGV, an hs_err file in the
 * working folder). Nothing of ours needs a hook: the OS releases run-folder locks, and checkpoints, exported models,
 * status and eval files are written under a temporary name and moved into place, so a stop leaves none of them torn.
 * While a run trains, {@code train.Interruption} takes the signals over (the trainer stops between iterations and
 * marks the run) and hands a second signal back to this handler.
 */
final class SignalExit {
    private SignalExit() {
    }

    /** Installs the handler for SIGTERM and SIGINT; a signal the JVM reserves (e.g. under -Xrs) keeps its handling. */
    static void install() {
        for (String name : List.of("TERM", "INT")) {
            try {
                Signal.handle(new Signal(name), SignalExit::halt);
            } catch (IllegalArgumentException | LinkageError e) {
                // reserved by the JVM or no such API here: the JVM's handling stays
            }
        }
    }

    private static void halt(Signal s) {
        System.out.flush();
        System.err.flush();
        Runtime.getRuntime().halt(128 + s.getNumber());
    }
}
