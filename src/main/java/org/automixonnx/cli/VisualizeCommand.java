package org.automixonnx.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.automixonnx.mixup.ValueRange;
import org.automixonnx.train.MixGrid;
import org.automixonnx.train.OutputFile;
import org.automixonnx.train.RunInspection;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code automix-onnx visualize}: the trained MixBlock's mixes of test-image pairs at several lambdas, as PNG, and
 * the statistics of the drawn masks per lambda (those training logs per epoch).
 */
@Command(name = "visualize", mixinStandardHelpOptions = true,
        description = "Draw test-image pairs mixed by an AutoMix run's MixBlock at lambda 0, 0.3, 0.5, 0.7, 1 "
                + "with their masks (PNG); print the masks' statistics per lambda.")
final class VisualizeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--run", required = true, paramLabel = "RUN", description = "AutoMix run folder.")
    Path run;

    @Option(names = "--out", converter = OutPathConverter.class, required = true, paramLabel = "PNG", description = "Image file to write.")
    Path out;

    @Option(names = "--pairs", paramLabel = "P", defaultValue = "4", description = "Image pairs, 1 to 64 (default: ${DEFAULT-VALUE}).")
    int pairs;

    @Option(names = "--scale", paramLabel = "S", defaultValue = "4",
            description = "Pixel magnification, 1 to 16 (default: ${DEFAULT-VALUE}).")
    int scale;

    @Option(names = "--checkpoint", paramLabel = "NAME", defaultValue = "last",
            description = "last or best (default: ${DEFAULT-VALUE}).")
    String checkpoint;

    @Override
    public Integer call() throws Exception {
        List<String> problems = new ArrayList<>();
        ValueRange.within(problems, "--pairs", pairs, 1, 64);
        ValueRange.within(problems, "--scale", scale, 1, 16);
        if (!problems.isEmpty()) {
            throw new CliFailure(String.join("; ", problems));
        }
        OutputFile.check("--out", out);
        MixGrid.Drawing grid = new RunInspection(run).mixGrid(checkpoint, pairs, scale);
        MixGrid.write(grid.image(), out);
        PrintWriter console = spec.commandLine().getOut();
        grid.report().forEach(console::println);
        console.println("wrote " + out);
        return 0;
    }
}
