package org.automixonnx.cli;

import static org.automixonnx.cli.BadInputTest.file;
import static org.automixonnx.cli.BadInputTest.row;
import static org.automixonnx.cli.BadInputTest.train;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.automixonnx.cli.BadInputTest.Fixture;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Inputs whose errors used to name only a path, an exception or nothing ("Is a directory", "integer overflow", a
 * bare "/proc/x"), one row each: the line names the option or file, the value and what is wrong or allowed.
 */
class NamedCauseTest {
    @TempDir
    Path dir;

    static List<String> graphs(Path dir, String... more) {
        List<String> a = new java.util.ArrayList<>(List.of("graphs", "--model", "resnet18-cifar-w0.125", "--out",
                dir.resolve("g").toString()));
        a.addAll(List.of(more));
        return a;
    }

    /** train (BadInputTest's tiny options and {@code more}) into {@code out}. */
    static List<String> trainInto(Path dir, String out, String... more) {
        List<String> a = new java.util.ArrayList<>(train(dir, more));
        a.set(a.indexOf("--out") + 1, out);
        return a;
    }

    static Stream<Arguments> rows() {
        return Stream.of(
                row("--out under a file", "a-file is a file, not a folder",
                        d -> trainInto(d, file(d, "a-file", "x").resolve("run").toString())),
                row("--out where no folder can be made", "cannot create the run folder /proc/automix-run: ",
                        d -> trainInto(d, "/proc/automix-run", "--method", "vanilla", "--train-limit", "20",
                                "--test-limit", "10")),
                row("model file that is a folder", "is a folder, not an ONNX file",
                        d -> train(d, "--model-file", Files.createDirectories(d.resolve("m.onnx")).toString())),
                row("model file that is a device", "/dev/zero is not a regular file (a device, pipe or socket), not an"
                        + " ONNX file", d -> train(d, "--model-file", "/dev/zero")),
                row("config file that is a device", "config file /dev/null is not a regular file",
                        d -> train(d, "--config", "/dev/null")),
                row("data folder that is a file", "is a file; give the folder holding the data set",
                        d -> train(d, "--dataset", "mnist", "--data", file(d, "data.gz", "x").toString())),
                row("CIFAR batch that is a folder", "data_batch_2.bin is a folder; expected a binary batch file", d -> {
                    Path c = BadInputTest.cifar(d, 0, 2 * 3073);
                    Files.delete(c.resolve("data_batch_2.bin"));
                    Files.createDirectories(c.resolve("data_batch_2.bin"));
                    return train(d, "--dataset", "cifar10", "--data", c.toString());
                }),
                row("eval of a file instead of a run", "is a file, not a run folder",
                        d -> List.of("eval", "--run", file(d, "notes.txt", "x").toString())),
                row("graphs with a negative batch and one class", "--batch-size must be >= 1 (got -1); --classes must"
                        + " be >= 2 (got 1)", d -> graphs(d, "--batch-size", "-1", "--classes", "1")),
                row("bench batch whose input overflows an array", "a batch of 2147483647 float images of 3x32x32 needs",
                        d -> List.of("bench", "--model", "resnet18-cifar-w0.125", "--batch-size", "2147483647",
                                "--steps", "1")),
                row("bench with a hundred thousand threads and no steps", "--threads must be in [0, 256] (got"
                        + " 100000); --steps must be >= 1 (got 0)", d -> List.of("bench", "--model",
                                "resnet18-cifar-w0.125", "--batch-size", "2", "--steps", "0", "--threads", "100000")),
                row("visualize at a negative scale and no pairs", "--pairs must be in [1, 64] (got 0); --scale must"
                        + " be in [1, 16] (got -1)", d -> List.of("visualize", "--run", d.resolve("run").toString(),
                                "--out", d.resolve("v.png").toString(), "--pairs", "0", "--scale", "-1")),
                row("graphs image size whose input overflows an array", "a batch of 100 float images of 3x100000x100000"
                        + " needs", d -> graphs(d, "--image-size", "100000")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void errorNamesTheCause(String what, String message, Fixture fixture) throws Exception {
        BadInputTest.assertRefused(dir, what, message, fixture);
    }
}
