package org.automixonnx.cli;

import static org.automixonnx.cli.CliCall.call;
import static org.automixonnx.cli.BadInputTest.mnist;
import static org.automixonnx.cli.BadInputTest.row;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.automixonnx.cli.BadInputTest.Fixture;
import org.automixonnx.onnx.Tensor;
import org.automixonnx.runtime.StateFile;
import org.automixonnx.train.RunFolder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Commands on an existing run that must be refused, one row each: eval or resume on data other than the run's,
 * a resume that would shorten the run below what it trained, a checkpoint name that leads out of the run folder,
 * an export of weights that diverged.
 * Each fails with one line saying what is wrong, and every file of the run stays byte for byte as it was.
 */
class RunInputTest {
    @TempDir
    Path dir;

    @TempDir
    static Path shared;

    private static Path trainedRun;

    /** 20 training labels covering all 10 classes. */
    static byte[] labels() {
        byte[] l = new byte[20];
        for (int i = 0; i < l.length; i++) {
            l[i] = (byte) (i % 10);
        }
        return l;
    }

    /** A finished 2-epoch vanilla run on 20 MNIST-format images of 28x28 in {@code dir}/a/run (data in dir/data). */
    static Path train(Path dir) throws IOException {
        Path data = mnist(dir.resolve("data"), 28, 28, labels());
        Path run = dir.resolve("a").resolve("run");
        List<String> args = new ArrayList<>(BadInputTest.mnistRun(dir, data));
        args.set(args.indexOf("--out") + 1, run.toString());
        args.set(args.indexOf("--epochs") + 1, "2");
        args.addAll(List.of("--method", "vanilla"));
        String[] r = call(args.toArray(String[]::new));
        assertEquals("0", r[0], r[1] + r[2]);
        return run;
    }

    /** One finished run shared by the rows that only read it. */
    static synchronized Path sharedRun() throws IOException {
        if (trainedRun == null) {
            trainedRun = train(shared);
        }
        return trainedRun;
    }

    static Stream<Arguments> rows() {
        return Stream.of(
                row("eval of a checkpoint outside the run folder",
                        "--checkpoint ../../x: give the name of a checkpoint in the run folder (best, last)", d -> {
                            Path run = sharedRun();
                            // a readable checkpoint where the path leads, so only the name rule can refuse it
                            Files.copy(run.resolve("last.state"), run.resolve("../../x.state").normalize(),
                                    StandardCopyOption.REPLACE_EXISTING);
                            return List.of("eval", "--run", run.toString(), "--checkpoint", "../../x");
                        }),
                row("eval of a checkpoint the run does not have", "has no checkpoint epoch-009.state (it has: best, last",
                        d -> List.of("eval", "--run", sharedRun().toString(), "--checkpoint", "epoch-009")),
                row("eval on 1x1 images of a 28x28 run", "images of 1x1x1 (the run's: 1x28x28, channels x height x width)",
                        d -> List.of("eval", "--run", sharedRun().toString(), "--data",
                                mnist(d.resolve("tiny"), 1, 1, labels()).toString())),
                row("eval on a training set of another size", "40 training images (the run's: 20)", d -> {
                    Path other = mnist(d.resolve("more"), 28, 28, labels());
                    Files.write(other.resolve("train-images-idx3-ubyte"), BadInputTest.idx(new int[] {40, 28, 28},
                            new byte[40 * 28 * 28]));
                    Files.write(other.resolve("train-labels-idx1-ubyte"), BadInputTest.idx(new int[] {40},
                            new byte[40]));
                    return List.of("eval", "--run", sharedRun().toString(), "--data", other.toString());
                }),
                row("resume with fewer epochs than the run trained",
                        "epochs 1 is fewer than the 2 epochs", d -> List.of("train", "--resume", "--out",
                                sharedRun().toString(), "--epochs", "1")),
                row("export of a checkpoint holding NaN weights", "last.state: its tensor 'fc.weight' holds NaN or"
                        + " Inf, so the exported model would predict nothing", d -> {
                            Path copy = copyOf(sharedRun(), d.resolve("copy"));
                            StateFile last = StateFile.read(copy.resolve("last.state"));
                            Map<String, Tensor> poisoned = new LinkedHashMap<>(last.tensors());
                            float[] w = poisoned.get("fc.weight").floats();
                            w[w.length / 2] = Float.NaN;
                            poisoned.put("fc.weight", Tensor.ofFloats(poisoned.get("fc.weight").shape(), w));
                            StateFile.write(copy.resolve("last.state"), poisoned, last.meta());
                            return List.of("export", "--run", copy.toString(), "--out", d.resolve("m.onnx").toString());
                        }),
                row("resume after the data set changed in place", "12 training images (the run's: 20)", d -> {
                    Path run = train(d);
                    Path data = d.resolve("data").resolve("mnist");
                    Files.write(data.resolve("train-images-idx3-ubyte"), BadInputTest.idx(new int[] {12, 28, 28},
                            new byte[12 * 28 * 28]));
                    Files.write(data.resolve("train-labels-idx1-ubyte"), BadInputTest.idx(new int[] {12},
                            java.util.Arrays.copyOf(labels(), 12)));
                    return List.of("train", "--resume", "--out", run.toString(), "--epochs", "3");
                }));
    }

    /** A copy of the files of {@code run} in {@code to}. */
    static Path copyOf(Path run, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(run)) {
            for (Path p : s.toList()) {
                Files.copy(p, to.resolve(run.relativize(p).toString()));
            }
        }
        return to;
    }

    /** Every file under {@code run} but the lock file (a refused command may have held it) with its bytes. */
    static Map<String, byte[]> contents(Path run) throws IOException {
        Map<String, byte[]> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(run)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                if (!p.getFileName().toString().equals(RunFolder.LOCK)) {
                    m.put(run.relativize(p).toString(), Files.readAllBytes(p));
                }
            }
        }
        return m;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void refusedCommandLeavesTheRunAsItWas(String what, String message, Fixture fixture) throws Exception {
        List<String> args = fixture.args(dir);
        Path run = Path.of(args.get(args.indexOf(args.contains("--run") ? "--run" : "--out") + 1));
        Map<String, byte[]> before = contents(run);
        String[] r = call(args.toArray(String[]::new));
        assertNotEquals("0", r[0], what + ": " + r[1]);
        assertEquals(1, r[2].lines().count(), what + ": one line: " + r[2]);
        assertTrue(r[2].startsWith("automix-onnx: error: ") && r[2].contains(message),
                what + ": expected '" + message + "' in: " + r[2]);
        Map<String, byte[]> after = contents(run);
        assertEquals(before.keySet(), after.keySet(), what + ": the run's files");
        before.forEach((f, b) -> assertArrayEquals(b, after.get(f), what + ": " + f + " unchanged"));
        assertFalse(before.isEmpty());
    }
}
