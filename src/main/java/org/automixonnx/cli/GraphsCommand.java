package org.automixonnx.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code automix-onnx graphs}: writes a model's training graphs and their manifest to a folder. */
@Command(name = "graphs", mixinStandardHelpOptions = true,
        description = "Write a model's generated training graphs (.onnx) and manifest.json to a folder.")
final class GraphsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ModelOptions model;

    @Option(names = "--out", converter = OutPathConverter.class, required = true, paramLabel = "DIR", description = "Folder to write to (created if missing).")
    Path out;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "100", description = "Batch size (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--classes", paramLabel = "K", defaultValue = "10", description = "Number of classes (default: ${DEFAULT-VALUE}).")
    int classes;

    @Override
    public Integer call() throws Exception {
        ModelSpec s = model.spec(batchSize, classes);
        List<Path> files = org.automixonnx.graphs.Manifest.writeAll(ModelCatalog.graphs(s), out);
        var w = spec.commandLine().getOut();
        w.println("wrote " + files.size() + " files for " + s.describe() + " to " + out);
        files.forEach(f -> w.println("  " + f));
        return 0;
    }
}
