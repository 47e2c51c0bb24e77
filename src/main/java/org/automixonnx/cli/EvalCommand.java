package org.automixonnx.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.automixonnx.train.EvalReport;
import org.automixonnx.train.RunInspection;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code automix-onnx eval}: the evaluation suite of a run's checkpoint (every classifier's top-1, the primary
 * classifier's top-1/top-5, NLL, ECE, FGSM error, mixed-sample top-1/top-2), printed and written to the run folder.
 */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = {"Evaluate a training run's checkpoint on the test set: top-1 of every classifier (AutoMix: "
                + "one/mix head x q/k encoder); top-1/top-5, NLL, ECE (15 bins), FGSM error (eps 8/255) and "
                + "mixed-sample top-1/top-2 of the primary classifier.",
                "Writes RUN/eval.json and RUN/reliability.png (eval-NAME.json, reliability-NAME.png for another "
                + "checkpoint than last)."})
final class EvalCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--run", required = true, paramLabel = "RUN", description = "Run folder written by train.")
    Path run;

    @Option(names = "--checkpoint", paramLabel = "NAME", defaultValue = "last",
            description = "last or best (default: ${DEFAULT-VALUE}).")
    String checkpoint;

    @Option(names = "--data", paramLabel = "DIR", description = "Data folder (default: the run's).")
    String data;

    @Option(names = "--test-limit", paramLabel = "N", description = "Evaluate only the first N test images.")
    Integer testLimit;

    @Option(names = "--classifier", paramLabel = "NAME", description = "Run the suite on another classifier than the"
            + " method's deployed one, named as its top-1 is logged (AutoMix: top1_one_k, top1_mix_k, top1_one_q,"
            + " top1_mix_q); writes eval[-CHECKPOINT]-NAME.json and the matching diagram.")
    String classifier;

    @Override
    public Integer call() throws Exception {
        var out = spec.commandLine().getOut();
        EvalReport report = new RunInspection(run).evaluate(checkpoint, classifier, data, testLimit);
        out.println("run " + run + ", checkpoint " + checkpoint);
        report.print(out);
        out.println("wrote " + run.resolve(report.jsonFile()) + " and " + run.resolve(report.pngFile()));
        return 0;
    }
}
