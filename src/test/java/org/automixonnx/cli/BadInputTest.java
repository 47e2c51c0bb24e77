package org.automixonnx.cli;

import static org.automixonnx.cli.CliCall.call;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input through the CLI, one row each: a non-zero exit, one error line saying what is wrong, and no run
 * folder that looks complete (none at all when the input is refused before training starts).
 */
class BadInputTest {
    @TempDir
    Path dir;

    /** A fixture: builds files under the temp folder and returns the command line (RUN = the run folder). */
    interface Fixture {
        List<String> args(Path dir) throws Exception;
    }

    static final List<String> TINY = List.of("--model", "resnet18-cifar-w0.125", "--epochs", "1", "--batch-size", "10",
            "--no-progress");

    /** train into RUN with the TINY options, except those {@code more} gives (--model-file replaces --model). */
    static List<String> train(Path dir, String... more) {
        List<String> given = List.of(more);
        List<String> a = new ArrayList<>(List.of("train", "--out", dir.resolve("run").toString()));
        for (int i = 0; i < TINY.size(); i++) {
            String option = TINY.get(i);
            boolean hasValue = i + 1 < TINY.size() && !TINY.get(i + 1).startsWith("--");
            boolean replaced = given.contains(option) || option.equals("--model") && given.contains("--model-file");
            if (!replaced) {
                a.addAll(TINY.subList(i, hasValue ? i + 2 : i + 1));
            }
            i += hasValue ? 1 : 0;
        }
        a.addAll(given);
        return a;
    }

    static byte[] idx(int[] dims, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + data.length);
        b.putInt(0x0800 | dims.length);
        for (int d : dims) {
            b.putInt(d);
        }
        return b.put(data).array();
    }

    /** An MNIST folder of raw IDX files (20 train, 10 test images of size x size), then {@code edit} on it. */
    static Path mnist(Path dir, int trainSize, int testSize, byte[] trainLabels) throws IOException {
        Path d = Files.createDirectories(dir.resolve("mnist"));
        Files.write(d.resolve("train-images-idx3-ubyte"), idx(new int[] {20, trainSize, trainSize},
                new byte[20 * trainSize * trainSize]));
        Files.write(d.resolve("train-labels-idx1-ubyte"), idx(new int[] {20}, trainLabels));
        Files.write(d.resolve("t10k-images-idx3-ubyte"), idx(new int[] {10, testSize, testSize},
                new byte[10 * testSize * testSize]));
        Files.write(d.resolve("t10k-labels-idx1-ubyte"), idx(new int[] {10}, new byte[10]));
        return d;
    }

    static List<String> mnistRun(Path dir, Path data) {
        return train(dir, "--dataset", "mnist", "--data", data.toString());
    }

    /** A CIFAR-10 folder with 2 records per file; {@code label} is record 0's label of data_batch_1. */
    static Path cifar(Path dir, int label, int batch3Bytes) throws IOException {
        Path d = Files.createDirectories(dir.resolve("cifar"));
        for (String f : List.of("data_batch_1", "data_batch_2", "data_batch_3", "data_batch_4", "data_batch_5",
                "test_batch")) {
            byte[] b = new byte[2 * 3073];
            if (f.equals("data_batch_1")) {
                b[0] = (byte) label;
            }
            if (f.equals("data_batch_3")) {
                b = Arrays.copyOf(b, batch3Bytes);
            }
            Files.write(d.resolve(f + ".bin"), b);
        }
        return d;
    }

    /** An image folder: train/ and val/ with classes a, b of two 12x12 PNGs each. */
    static Path images(Path dir) throws IOException {
        Path d = dir.resolve("images");
        for (String split : List.of("train", "val")) {
            for (String c : List.of("a", "b")) {
                for (int i = 0; i < 2; i++) {
                    Path f = Files.createDirectories(d.resolve(split).resolve(c)).resolve(i + ".png");
                    ImageIO.write(new BufferedImage(12, 12, BufferedImage.TYPE_INT_RGB), "png", f.toFile());
                }
            }
        }
        return d;
    }

    static List<String> imageRun(Path dir, Path data) {
        return train(dir, "--dataset", "imagefolder", "--data", data.toString());
    }

    static Path file(Path dir, String name, String content) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, content);
        return f;
    }

    static Arguments row(String what, String message, Fixture f) {
        return Arguments.of(what, message, f);
    }

    static Stream<Arguments> rows() {
        byte[] labels = new byte[20];
        byte[] badLabels = labels.clone();
        badLabels[7] = 12;
        return Stream.of(
                row("truncated IDX file", "truncated (header says", d -> {
                    Path m = mnist(d, 28, 28, labels);
                    Path f = m.resolve("train-images-idx3-ubyte");
                    Files.write(f, Arrays.copyOf(Files.readAllBytes(f), 3000));
                    return mnistRun(d, m);
                }),
                row("corrupt IDX header", "not an unsigned-byte IDX file", d -> {
                    Path m = mnist(d, 28, 28, labels);
                    Files.write(m.resolve("t10k-labels-idx1-ubyte"), "PK\u0003\u0004garbage".getBytes());
                    return mnistRun(d, m);
                }),
                row("truncated gzipped IDX file", "corrupt or truncated gzip data", d -> {
                    Path m = Files.createDirectories(d.resolve("fmnist"));
                    for (String n : List.of("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
                            "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")) {
                        Files.copy(Path.of("testdata/fashion-mnist").resolve(n), m.resolve(n));
                    }
                    Path f = m.resolve("train-images-idx3-ubyte.gz");
                    byte[] b = Files.readAllBytes(f);
                    Files.write(f, Arrays.copyOf(b, b.length / 2));
                    return train(d, "--data", m.toString());
                }),
                row("IDX label out of range", "label 12 at index 7 is out of range 0..9",
                        d -> mnistRun(d, mnist(d, 28, 28, badLabels))),
                row("train and test images of different sizes", "train images are 1x28x28 but test images are 1x32x32",
                        d -> mnistRun(d, mnist(d, 28, 32, labels))),
                row("truncated CIFAR file", "is not a whole number of 3073-byte CIFAR records",
                        d -> train(d, "--dataset", "cifar10", "--data", cifar(d, 0, 3073 + 100).toString())),
                row("CIFAR label out of range", "label 10 of record 0 is out of range 0..9",
                        d -> train(d, "--dataset", "cifar10", "--data", cifar(d, 10, 2 * 3073).toString())),
                row("unreadable image", "cannot decode image", d -> {
                    Path m = images(d);
                    Files.write(m.resolve("train/b/broken.png"), "not a png".getBytes());
                    return imageRun(d, m);
                }),
                row("class folder without images", "contains no images", d -> {
                    Path m = images(d);
                    Files.createDirectories(m.resolve("train/c"));
                    Files.writeString(m.resolve("train/c/notes.txt"), "no images here");
                    return imageRun(d, m);
                }),
                row("one-class data set", "has 1 class [a]; a classifier needs at least 2", d -> {
                    Path m = images(d);
                    for (String split : List.of("train", "val")) {
                        try (Stream<Path> f = Files.list(m.resolve(split).resolve("b"))) {
                            for (Path p : f.toList()) {
                                Files.delete(p);
                            }
                        }
                        Files.delete(m.resolve(split).resolve("b"));
                    }
                    return imageRun(d, m);
                }),
                row("missing data folder", "data folder not found",
                        d -> train(d, "--dataset", "mnist", "--data", d.resolve("nope").toString())),
                row("unknown model", "resnet9000", d -> train(d, "--model", "resnet9000")),
                row("unknown method", "nosuchmix", d -> train(d, "--method", "nosuchmix")),
                row("unknown dataset", "unknown dataset 'imagenet22k'", d -> train(d, "--dataset", "imagenet22k")),
                row("invalid YAML", "invalid YAML", d -> train(d, "--config",
                        file(d, "bad.yaml", "lr: 0.1\nepochs: 'unterminated\n").toString())),
                row("unknown config key", "unknown key 'epoch'", d -> train(d, "--config",
                        file(d, "typo.yaml", "epoch: 3\n").toString())),
                row("wrong value type in config", "key 'epochs'", d -> train(d, "--config",
                        file(d, "type.yaml", "epochs: many\n").toString())),
                row("invalid NaN policy", "on-nan must be stop or skip", d -> train(d, "--on-nan", "ignore")),
                row("negative checkpoint interval", "checkpoint-iterations must be >= 0",
                        d -> train(d, "--checkpoint-iterations", "-1")),
                row("invalid ONNX model file", "bad.onnx", d -> List.of("graphs", "--model-file",
                        file(d, "bad.onnx", "this is not a protobuf").toString(), "--out", d.resolve("g").toString())),
                row("model file expecting 3 channels given 1", "takes 3-channel images", d -> List.of("graphs", "--model-file",
                        ModelFileOptionTest.FILE, "--channels", "1", "--image-size", "16", "--classes", "4",
                        "--out", d.resolve("g").toString())),
                row("train on an invalid model file", "not a valid ONNX model", d -> train(d, "--model-file",
                        file(d, "bad.onnx", "this is not a protobuf").toString())),
                row("batch larger than the data set", "fewer than one batch of 1000", d -> train(d, "--method",
                        "vanilla", "--train-limit", "20", "--batch-size", "1000")),
                row("negative thread count", "threads must be in [0, 256] (got -2)", d -> train(d, "--threads", "-2")),
                row("negative test limit", "test-limit must be >= 0", d -> train(d, "--test-limit", "-3")),
                row("unavailable device", "CUDA", d -> train(d, "--method", "vanilla", "--train-limit", "20",
                        "--device", "cuda:99")),
                row("profile folder that is a file", "cannot create profile folder", d -> train(d, "--method",
                        "vanilla", "--train-limit", "20", "--profile", file(d, "taken", "a file").toString())),
                row("existing output folder", "already exists; use --resume", d -> {
                    Files.createDirectories(d.resolve("run"));
                    Files.writeString(d.resolve("run/notes.txt"), "mine");
                    return train(d);
                }),
                row("resume of a folder without a run", "holds no run", d -> List.of("train", "--resume", "--out",
                        d.resolve("nothing").toString())));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void badInputFailsWithOneClearLine(String what, String message, Fixture fixture) throws Exception {
        assertRefused(dir, what, message, fixture);
    }

    /**
     * Runs the command {@code fixture} builds in {@code dir}: it must fail with one line saying {@code message}, and
     * leave no run folder that looks complete (none at all when the input is refused before training starts).
     */
    static void assertRefused(Path dir, String what, String message, Fixture fixture) throws Exception {
        List<String> args = fixture.args(dir);
        boolean runExisted = Files.exists(dir.resolve("run"));
        CliCall.Run r = CliCall.run(args.toArray(String[]::new));
        String e = r.err();
        assertNotEquals(0, r.code(), what + ": " + r.out());
        assertEquals(1, e.lines().count(), what + ": one line: " + e);
        assertTrue(e.startsWith("automix-onnx: error: ") || e.startsWith("automix-onnx"), what + ": " + e);
        assertTrue(e.contains(message), what + ": expected '" + message + "' in: " + e);
        assertTrue(e.lines().findFirst().orElse("").contains(message), what + ": the first line says it: " + e);
        assertFalse(e.contains("\tat "), what + ": no stack trace: " + e);
        Path run = dir.resolve("run");
        if (runExisted) {
            assertEquals("mine", Files.readString(run.resolve("notes.txt")), "a refused run leaves the folder alone");
            assertEquals(List.of("notes.txt"), Arrays.stream(run.toFile().list()).toList());
        } else if (Files.exists(run.resolve("status.json"))) {
            assertNotEquals("finished", new ObjectMapper().readTree(run.resolve("status.json").toFile())
                    .get("status").asText(), what);
        } else {
            assertFalse(Files.exists(run), what + ": no run folder for input refused before training");
        }
    }

    /**
     * A learning rate that makes training diverge: one line naming the iteration and the loss term, status
     * failed, the last checkpoint written before still reads; corrupting that checkpoint makes --resume fail
     * with one line naming the file.
     */
    @org.junit.jupiter.api.Test
    void divergenceAndACorruptCheckpointAreReportedInOneLine() throws Exception {
        Path run = dir.resolve("run");
        String[] r = call("train", "--out", run.toString(), "--method", "vanilla", "--model", "resnet18-cifar-w0.125",
                "--epochs", "1", "--batch-size", "10", "--train-limit", "100", "--test-limit", "20", "--lr", "1e12",
                "--no-progress", "--checkpoint-iterations", "1");
        assertEquals("1", r[0], r[1] + r[2]);
        assertEquals(1, r[2].lines().count(), r[2]);
        assertTrue(r[2].matches("(?s)automix-onnx: error: (loss term '\\w+' is (NaN|-?Infinity) at|state tensor"
                + " '.+' holds NaN or Inf after) iteration \\d+ \\(epoch 1, batch \\d+\\); stopped, the last good checkpoint"
                + " is kept.*"), r[2]);
        assertEquals("failed", new ObjectMapper().readTree(run.resolve("status.json").toFile()).get("status").asText());
        Path last = run.resolve("last.state");
        org.automixonnx.runtime.StateFile.read(last);

        byte[] b = Files.readAllBytes(last);
        b[b.length / 2] ^= 0x55;
        Files.write(last, b);
        String[] resumed = call("train", "--resume", "--out", run.toString());
        assertEquals("1", resumed[0]);
        assertTrue(resumed[2].startsWith("automix-onnx: error: state file " + last + " has corrupt"), resumed[2]);
        assertEquals(1, resumed[2].lines().count(), resumed[2]);
    }
}
