package org.automixonnx.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.automixonnx.train.CompareService;
import org.automixonnx.train.RunFolder;
import org.automixonnx.train.TrainConfig;
import org.automixonnx.train.TrainService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** compare on the bundled data: 2 methods x 2 seeds with tiny limits. */
class CompareCommandTest {
    static String[] call(String... args) {
        return CliCall.call(args);
    }

    @Test
    void unknownMethodFailsBeforeAnyTraining(@TempDir Path dir) {
        Path out = dir.resolve("cmp");
        String[] r = call("compare", "--methods", "vanilla,nosuchmix", "--seeds", "2", "--out", out.toString());
        assertEquals("1", r[0], r[1]);
        assertTrue(r[2].contains("unknown method 'nosuchmix'") && r[2].contains("known: "), r[2]);
        assertFalse(Files.exists(out), "nothing written");
        String[] twice = call("compare", "--methods", "mixup,mixup", "--out", out.toString());
        assertTrue(twice[2].contains("listed twice"), twice[2]);
        assertFalse(Files.exists(out), "nothing written");
    }

    @Test
    void twoMethodsTwoSeedsGiveTheTableAndThePerRunCsv(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("cmp");
        String[] r = call("compare", "--methods", "vanilla,mixup", "--seeds", "2", "--epochs", "1", "--model",
                "resnet18-cifar-w0.125", "--batch-size", "50", "--train-limit", "100", "--test-limit", "50", "--lr",
                "0.05", "--no-progress", "--out", out.toString());
        assertEquals("0", r[0], r[2]);

        List<String> csv = Files.readAllLines(out.resolve("compare.csv"));
        List<String> header = Arrays.asList(csv.get(0).split(","));
        assertEquals(List.of("method", "seed", "run"), header.subList(0, 3));
        assertEquals(CompareService.TRAIN_SECONDS, header.get(header.size() - 1));
        assertEquals(5, csv.size(), "a header and one row per run");
        List<String[]> rows = csv.subList(1, csv.size()).stream().map(l -> l.split(",", -1)).toList();
        ObjectMapper json = new ObjectMapper();
        for (String[] row : rows) {
            Path run = out.resolve(row[2]);
            assertEquals(row[0] + "-seed" + row[1], row[2]);
            TrainConfig c = TrainConfig.read(run.resolve("config.yaml"));
            assertEquals(row[0], c.method);
            assertEquals(Long.parseLong(row[1]), c.seed);
            assertEquals(1, c.epochs, "same budget for every run");
            JsonNode m = json.readTree(run.resolve("eval.json").toFile()).get("metrics");
            for (int i = 3; i < header.size() - 1; i++) {
                assertEquals(m.get(header.get(i)).asDouble(), Double.parseDouble(row[i]), 0.0, header.get(i));
            }
            double epochSeconds = 0;
            for (String line : Files.readAllLines(run.resolve("metrics.jsonl"))) {
                epochSeconds += json.readTree(line).get("wall_s").asDouble();
            }
            assertEquals(epochSeconds, Double.parseDouble(row[header.size() - 1]), 0.05, "train_s: the epochs' wall time");
            assertTrue(epochSeconds > 0, "an epoch takes time");
            assertTrue(m.get("fgsm_error").asDouble() >= 1 - m.get("top1").asDouble(), m.toString());
        }
        assertEquals(List.of("vanilla", "vanilla", "mixup", "mixup"), rows.stream().map(x -> x[0]).toList());
        assertEquals(List.of("0", "1", "0", "1"), rows.stream().map(x -> x[1]).toList());

        List<String> table = Files.readAllLines(out.resolve("compare.md")).stream().filter(l -> l.startsWith("|"))
                .toList();
        assertEquals("| method | runs | top-1 (%) | ECE (%) | FGSM error (%) | train time (min) |", table.get(0));
        assertEquals(4, table.size(), "header, separator, one row per method: " + table);
        for (String method : List.of("vanilla", "mixup")) {
            List<String> cells = new ArrayList<>(List.of(method, "2"));
            for (String metric : List.of("top1", "ece", "fgsm_error")) {
                int col = header.indexOf(metric);
                double[] v = rows.stream().filter(x -> x[0].equals(method))
                        .mapToDouble(x -> 100 * Double.parseDouble(x[col])).toArray();
                double mean = (v[0] + v[1]) / 2;
                double std = Math.abs(v[0] - v[1]) / Math.sqrt(2); // sample std of two values
                cells.add(String.format(Locale.ROOT, "%.2f ± %.2f", mean, std));
            }
            double[] minutes = rows.stream().filter(x -> x[0].equals(method))
                    .mapToDouble(x -> Double.parseDouble(x[header.size() - 1]) / 60).toArray();
            cells.add(String.format(Locale.ROOT, "%.1f ± %.1f", (minutes[0] + minutes[1]) / 2,
                    Math.abs(minutes[0] - minutes[1]) / Math.sqrt(2)));
            String expected = "| " + String.join(" | ", cells) + " |";
            assertTrue(table.contains(expected), "expected row " + expected + " in " + table);
        }
        assertTrue(r[1].contains("# Method comparison"), "the table is printed too");
    }

    @Test
    void resumeKeepsFinishedRunsResumesTheInterruptedOneAndGivesTheUninterruptedTable(@TempDir Path dir)
            throws Exception {
        List<String> options = tinyComparison("vanilla,mixup", 2);
        Path whole = dir.resolve("whole");
        String[] uninterrupted = call(withOut("compare", options, whole));
        assertEquals("0", uninterrupted[0], uninterrupted[2]);

        // an interrupted comparison: vanilla finished, mixup stopped after its first epoch, no table yet
        Path cut = dir.resolve("cut");
        copyTree(whole.resolve("vanilla-seed0"), cut.resolve("vanilla-seed0"));
        Path mixup = cut.resolve("mixup-seed0");
        new TrainService(new PrintWriter(Writer.nullWriter())).trainUntil(
                TrainConfig.read(whole.resolve("mixup-seed0").resolve(RunFolder.CONFIG)), mixup, 1);
        assertFalse(Files.exists(cut.resolve("compare.csv")));

        String[] wrongOptions = call(withOut("compare", replace(options, "2", "3"), cut, "--resume"));
        assertEquals("1", wrongOptions[0], wrongOptions[1]);
        assertTrue(wrongOptions[2].contains("another configuration"), wrongOptions[2]);
        String[] both = call(withOut("compare", options, cut, "--resume", "--force"));
        assertEquals("2", both[0], both[2]);
        assertTrue(Files.isDirectory(mixup), "refusals leave the runs alone");

        String[] resumed = call(withOut("compare", options, cut, "--resume"));
        assertEquals("0", resumed[0], resumed[2]);
        assertTrue(resumed[1].contains("kept finished run " + cut.resolve("vanilla-seed0")), resumed[1]);
        assertTrue(resumed[1].contains("resuming " + mixup), resumed[1]);
        // exact resume: every metric of every run as in the uninterrupted comparison (the wall times differ)
        assertEquals(withoutLastColumn(whole.resolve("compare.csv"), ","), withoutLastColumn(cut.resolve("compare.csv"),
                ","));
        assertEquals(withoutLastColumn(whole.resolve("compare.md"), " | "),
                withoutLastColumn(cut.resolve("compare.md"), " | "));
    }

    /** The file's lines, each cut before its last {@code separator} (the train-time column). */
    private static List<String> withoutLastColumn(Path file, String separator) throws IOException {
        return Files.readAllLines(file).stream()
                .map(l -> l.contains(separator) ? l.substring(0, l.lastIndexOf(separator)) : l).toList();
    }

    /** Changing AutoMix's options does not make a finished vanilla run "trained with another configuration". */
    @Test
    void resumeKeepsABaselineRunWhenOnlyAnotherMethodsOptionsChanged(@TempDir Path dir) throws Exception {
        List<String> options = tinyComparison("vanilla", 1);
        Path out = dir.resolve("cmp");
        String[] first = call(withOut("compare", options, out));
        assertEquals("0", first[0], first[2]);
        Path tuned = dir.resolve("automix-tuned.yaml");
        Files.writeString(tuned, "automix:\n  emaEnd: 0.9\n");
        List<String> withConfig = new ArrayList<>(options);
        withConfig.addAll(List.of("--config", tuned.toString()));
        String[] resumed = call(withOut("compare", withConfig, out, "--resume"));
        assertEquals("0", resumed[0], resumed[2]);
        assertTrue(resumed[1].contains("kept finished run " + out.resolve("vanilla-seed0")), resumed[1]);
    }

    /** A one-seed comparison of {@code methods} small enough for a test: 100 training and 50 test images. */
    private static List<String> tinyComparison(String methods, int epochs) {
        return List.of("--methods", methods, "--seeds", "1", "--epochs", Integer.toString(epochs), "--model",
                "resnet18-cifar-w0.125", "--batch-size", "50", "--train-limit", "100", "--test-limit", "50",
                "--no-progress");
    }

    private static String[] withOut(String command, List<String> options, Path out, String... more) {
        List<String> args = new ArrayList<>(List.of(command));
        args.addAll(options);
        args.addAll(List.of("--out", out.toString()));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    /** {@code options} with the value after --epochs replaced. */
    private static List<String> replace(List<String> options, String epochs, String by) {
        List<String> l = new ArrayList<>(options);
        int i = l.indexOf("--epochs") + 1;
        assertEquals(epochs, l.get(i));
        l.set(i, by);
        return l;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : files.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }
}
