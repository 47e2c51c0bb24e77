package org.automixonnx.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import org.automixonnx.onnx.HeapBudget;
import org.automixonnx.runtime.FileErrors;
import org.automixonnx.train.RunInterruptedException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The {@code automix-onnx} command. Exit codes: 0 success, 2 usage error (bad or unknown option), 1 failure
 * while running (one line on stderr; the stack trace only with {@code --debug}), 128 + the signal's number for a
 * command stopped by SIGTERM or Ctrl-C ({@link SignalExit}; training stops between iterations first).
 */
@Command(name = "automix-onnx", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Train image classifiers with AutoMix and mixup baselines on stock ONNX Runtime.",
        subcommands = {TrainCommand.class, CompareCommand.class, EvalCommand.class, VisualizeCommand.class, GraphsCommand.class, BenchCommand.class, ExportCommand.class})
public final class Main implements Runnable {
    public static final int EXIT_OK = 0;
    public static final int EXIT_FAILURE = 1;
    public static final int EXIT_USAGE = 2;

    @Spec
    CommandSpec spec;

    @Option(names = "--debug", scope = ScopeType.INHERIT, description = "Print stack traces of failures.")
    boolean debug;

    @Override
    public void run() {
        // the names come from the subcommands list above, so a new command needs no second edit here
        throw new ParameterException(spec.commandLine(), "a command is required ("
                + String.join(", ", spec.subcommands().keySet()) + ")");
    }

    public static void main(String[] args) {
        // Charts are rendered to PNG files; never try to open a display.
        System.setProperty("java.awt.headless", "true");
        SignalExit.install();
        System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs the command line with the given streams and returns the exit code (used by main and tests). */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(out);
        cl.setErr(err);
        cl.setParameterExceptionHandler(Main::usageError);
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> failure(e, cmd, parsed));
        int code;
        try {
            code = cl.execute(args);
        } catch (OutOfMemoryError | StackOverflowError e) {
            // picocli hands only Exceptions to the handler above; an Error ends here. The loaders that read whole
            // files (data sets, ONNX files, checkpoints) name the file themselves; this covers the rest.
            code = outOfResources(e, cl, args);
        }
        out.flush();
        err.flush();
        return code;
    }

    /** One line for a VirtualMachineError: which command ran out of what, and what to do about it. */
    private static int outOfResources(VirtualMachineError e, CommandLine cl, String[] args) {
        PrintWriter err = cl.getErr();
        String command = args.length > 0 && cl.getSubcommands().containsKey(args[0]) ? " while running '" + args[0]
                + "'" : "";
        if (e instanceof OutOfMemoryError) {
            err.println("automix-onnx: error: out of memory" + command + " (" + e.getMessage() + "): it needs more than "
                    + HeapBudget.heapLimit() + ", or a smaller model, batch or data set");
        } else {
            err.println("automix-onnx: error: stack overflow" + command + " (a graph or input nested too deeply)");
        }
        if (List.of(args).contains("--debug")) {
            e.printStackTrace(err);
        }
        return EXIT_FAILURE;
    }

    private static int usageError(ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        PrintWriter err = cmd.getErr();
        // an unknown option is the likelier mistake than the missing options it leads to: report it first
        String message = e instanceof CommandLine.UnmatchedArgumentException || cmd.getUnmatchedArguments().isEmpty()
                ? e.getMessage() : "Unknown option or argument: '" + String.join("', '", cmd.getUnmatchedArguments()) + "'";
        err.println(cmd.getCommandSpec().qualifiedName() + ": " + message);
        CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
        err.println("See '" + cmd.getCommandSpec().qualifiedName() + " --help'.");
        return EXIT_USAGE;
    }

    private static int failure(Exception e, CommandLine cmd, ParseResult parsed) {
        PrintWriter err = cmd.getErr();
        // a file exception's message is often just the path: say why it failed
        String message = e instanceof IOException io ? FileErrors.reason(io)
                : e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        // multi-line messages (e.g. a list of contract violations) keep their first line in the summary
        err.println("automix-onnx: error: " + message.lines().findFirst().orElse(""));
        if (debugRequested(parsed)) {
            e.printStackTrace(err);
        } else if (message.lines().count() > 1) {
            err.println("(run with --debug for details)");
        }
        // a run stopped by SIGTERM or Ctrl-C exits as the signal would have ended it
        return e instanceof RunInterruptedException stopped ? stopped.exitCode() : EXIT_FAILURE;
    }

    private static boolean debugRequested(ParseResult parsed) {
        for (ParseResult p = parsed; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption("--debug")) {
                return true;
            }
        }
        return false;
    }
}
