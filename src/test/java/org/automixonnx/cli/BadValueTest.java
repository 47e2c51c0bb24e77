package org.automixonnx.cli;

import static org.automixonnx.cli.BadInputTest.file;
import static org.automixonnx.cli.BadInputTest.images;
import static org.automixonnx.cli.BadInputTest.row;
import static org.automixonnx.cli.BadInputTest.train;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
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
 * Numbers outside their ranges (NaN and the infinities included) and config files that are not one clean UTF-8 YAML
 * map, one row each, checked as {@link BadInputTest} checks its rows: one line naming the option or key, the value
 * and what is allowed, and no run folder.
 */
class BadValueTest {
    @TempDir
    Path dir;

    /** train with a config file holding {@code yaml}. */
    static List<String> configRun(Path dir, String yaml) throws IOException {
        return train(dir, "--config", file(dir, "run.yaml", yaml).toString());
    }

    static Stream<Arguments> valueRows() {
        return Stream.of(
                row("NaN learning rate", "lr must be a finite number > 0 (got NaN)", d -> train(d, "--lr", "NaN")),
                row("infinite learning rate", "lr must be a finite number > 0 (got Infinity)",
                        d -> train(d, "--lr", "Infinity")),
                row("infinite min-lr", "min-lr must be a finite number in [0, 0.1] (got Infinity)",
                        d -> train(d, "--min-lr", "Infinity")),
                row("negative min-lr", "min-lr must be a finite number in [0, 0.1] (got -0.5)",
                        d -> train(d, "--min-lr", "-0.5")),
                row("NaN alpha", "alpha must be a finite number > 0 (got NaN)", d -> train(d, "--alpha", "NaN")),
                row("negative alpha", "alpha must be a finite number > 0 (got -1.0)", d -> train(d, "--alpha", "-1")),
                row("negative image size", "image-size must be in [1, 8192] (got -5)",
                        d -> train(d, "--dataset", "imagefolder", "--data", images(d).toString(), "--image-size", "-5")),
                row("image size whose pixel count overflows", "image-size must be in [1, 8192] (got 2000000000)",
                        d -> train(d, "--image-size", "2000000000")),
                row("a hundred thousand threads", "threads must be in [0, 256] (got 100000)",
                        d -> train(d, "--threads", "100000")),
                row("a hundred thousand loader threads", "loaderThreads must be in [1, 256] (got 100000)",
                        d -> configRun(d, "loaderThreads: 100000\n")),
                row("negative train limit", "train-limit and test-limit must be >= 0 (0 = all images; got -3, 0)",
                        d -> train(d, "--train-limit", "-3")),
                row("NaN weight decay", "weightDecay must be a finite number >= 0 (got NaN)",
                        d -> configRun(d, "weightDecay: NaN\n")),
                row("negative weight decay", "weightDecay must be a finite number >= 0 (got -1.0E-4)",
                        d -> configRun(d, "weightDecay: -1e-4\n")),
                row("momentum above 1", "momentum must be a finite number in [0, 1] (got 1.5)",
                        d -> configRun(d, "momentum: 1.5\n")),
                row("infinite momentum", "momentum must be a finite number in [0, 1] (got Infinity)",
                        d -> configRun(d, "momentum: Infinity\n")),
                row("EMA start above 1", "automix.emaStart must be a finite number in [0, 1] (got 1.5)",
                        d -> configRun(d, "automix:\n  emaStart: 1.5\n")),
                row("NaN EMA end", "automix.emaEnd must be a finite number in [0, 1] (got NaN)",
                        d -> configRun(d, "automix:\n  emaEnd: NaN\n")),
                row("negative EMA warm-up fraction", "automix.emaWarmupFraction must be a finite number in [0, 1] (got -0.1)",
                        d -> configRun(d, "automix:\n  emaWarmupFraction: -0.1\n")),
                row("negative mask-loss weight", "automix.maskLossWeight must be a finite number >= 0 (got -1.0)",
                        d -> configRun(d, "automix:\n  maskLossWeight: -1\n")),
                row("lambda margin beyond 0.5", "automix.lamMargin must be a finite number in [0, 0.5] (got 0.7)",
                        d -> configRun(d, "automix:\n  lamMargin: 0.7\n")),
                row("negative warm-up epochs", "warmupEpochs must be >= 0 (got -2)", d -> configRun(d, "warmupEpochs: -2\n")),
                row("negative crop padding", "augment.cropPadding must be >= 0 (got -4)",
                        d -> configRun(d, "augment:\n  cropPadding: -4\n")),
                row("config that is a list", "run.yaml: a config is a map of keys, 'key: value' lines (line 1)",
                        d -> configRun(d, "- lr\n- epochs\n")),
                row("config value of the wrong kind", "run.yaml: key 'lr' takes a number (got '0.1x') (line 1)",
                        d -> configRun(d, "lr: 0.1x\n")),
                row("config section given a number", "key 'automix' takes a section of keys",
                        d -> configRun(d, "automix: 3\n")),
                row("empty config file", "run.yaml is empty; a config has 'key: value' lines", d -> configRun(d, "\n")),
                row("more warm-up epochs than epochs", "warmupEpochs must be fewer than the epochs (got 99 of 1)",
                        d -> configRun(d, "warmupEpochs: 99\n")),
                row("duplicate key in a config", "Duplicate field 'lr' (line 2)",
                        d -> configRun(d, "lr: 0.1\nlr: 0.2\n")),
                row("config file in Latin-1", "is not UTF-8 text (byte 0xe9 at offset 13); save it as UTF-8", d -> {
                    Path f = d.resolve("latin1.yaml");
                    Files.write(f, "lr: 0.1\n# caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
                    return train(d, "--config", f.toString());
                }),
                row("config file that is a folder", "is a folder; give a YAML file",
                        d -> train(d, "--config", Files.createDirectories(d.resolve("conf.yaml")).toString())),
                row("config file of 2 MB", "bytes; a config may have at most 1048576", d -> {
                    Path f = d.resolve("huge.yaml");
                    try (RandomAccessFile r = new RandomAccessFile(f.toFile(), "rw")) {
                        r.setLength(2 << 20);
                    }
                    return train(d, "--config", f.toString());
                }));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valueRows")
    void badValueFailsWithOneClearLine(String what, String message, Fixture fixture) throws Exception {
        BadInputTest.assertRefused(dir, what, message, fixture);
    }
}
