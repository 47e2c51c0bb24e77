package org.automixonnx.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.automixonnx.export.Encoder;
import org.automixonnx.export.ExportOptions;
import org.automixonnx.export.ExportService;
import org.automixonnx.export.RunCheckpoint;
import org.automixonnx.models.Head;
import org.automixonnx.onnx.HeapBudget;
import org.automixonnx.train.OutputFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code automix-onnx export}: a run's trained classifier as a plain inference ONNX model. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Write a trained classifier as a plain inference ONNX model (input 'input' float32 [N,C,H,W], "
                + "output 'logits', optional 'probabilities').")
final class ExportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--run", required = true, paramLabel = "RUN", description = "Run folder or checkpoint state file.")
    Path run;

    @Option(names = "--out", converter = OutPathConverter.class, required = true, paramLabel = "FILE", description = "ONNX file to write.")
    Path out;

    @Option(names = "--encoder", paramLabel = "k|q",
            description = "ImageClassifier to export: k (AutoMix momentum teacher) or q (online). Default: k when the run "
                    + "has a teacher, else q.")
    String encoder;

    @Option(names = "--head", paramLabel = "one|mix", defaultValue = "one",
            description = "Linear head to export (default: ${DEFAULT-VALUE}).")
    String head;

    @Option(names = "--fold-bn", description = "Merge BatchNorm into the preceding convolutions.")
    boolean foldBn;

    @Option(names = "--softmax", description = "Also output 'probabilities' (softmax of the logits).")
    boolean softmax;

    @Override
    public Integer call() throws Exception {
        OutputFile.check("--out", out);
        RunCheckpoint ckpt = RunCheckpoint.open(run);
        ExportOptions o;
        try {
            o = ckpt.options().withHead(Head.parse(head)).withFoldBn(foldBn).withSoftmax(softmax);
            if (encoder != null) {
                o = o.withEncoder(Encoder.parse(encoder));
            }
        } catch (IllegalArgumentException e) {
            throw new CliFailure(e.getMessage());
        }
        var network = ckpt.network();
        long[] image = ckpt.imageShape();
        ExportOptions options = o;
        try {
            HeapBudget.during("building the inference model of " + ckpt.file(), () -> {
                new ExportService().write(network, ckpt.tensors(), options, out, image);
                return null;
            });
        } catch (IllegalArgumentException e) {
            throw new CliFailure("cannot export " + ckpt.file() + ": " + e.getMessage(), e);
        }
        spec.commandLine().getOut().println("wrote " + out + " (" + o.architecture() + ", encoder "
                + o.encoder().name().toLowerCase() + ", head " + o.head().name().toLowerCase() + ", input "
                + image[0] + "x" + image[1] + "x" + image[2] + (foldBn ? ", BN folded" : "") + ")");
        return 0;
    }
}
