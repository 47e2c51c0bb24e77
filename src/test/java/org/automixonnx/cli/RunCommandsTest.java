package org.automixonnx.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.automixonnx.mixup.MaskStatistics;
import org.automixonnx.train.MixGrid;
import org.automixonnx.train.TrainConfig;
import org.automixonnx.train.TrainService;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** eval, visualize and export on a small AutoMix run trained once for the class. */
class RunCommandsTest {
    @TempDir
    static Path dir;
    static Path run;

    @BeforeAll
    static void trainTinyAutoMixRun() throws Exception {
        run = dir.resolve("run");
        TrainConfig c = new TrainConfig().with(Map.of("model", "resnet18-cifar-w0.125", "epochs", 1, "batchSize", 50,
                "trainLimit", 300, "testLimit", 100, "progress", false));
        new TrainService(new PrintWriter(new StringWriter())).train(c, run, false);
    }

    static String[] call(String... args) {
        return CliCall.call(args);
    }

    @Test
    void evalReproducesWhatTrainingLoggedAndWrote() throws Exception {
        JsonNode atTrainingEnd = new ObjectMapper().readTree(run.resolve("eval.json").toFile());
        Files.delete(run.resolve("eval.json"));
        Files.delete(run.resolve("reliability.png"));
        String[] r = call("eval", "--run", run.toString());
        assertEquals("0", r[0], r[2]);
        List<String> lines = Files.readAllLines(run.resolve("metrics.jsonl"));
        JsonNode logged = new ObjectMapper().readTree(lines.get(lines.size() - 1));
        for (String k : List.of("top1_one_q", "top1_mix_q", "top1_one_k", "top1_mix_k")) {
            String expected = String.format(Locale.ROOT, "%-12s %6.2f%%", k, 100 * logged.get(k).asDouble());
            assertTrue(r[1].contains(expected), "expected '" + expected + "' in\n" + r[1]);
        }
        JsonNode report = new ObjectMapper().readTree(run.resolve("eval.json").toFile());
        assertEquals(atTrainingEnd.get("metrics"), report.get("metrics"), "eval of last.state = the end-of-training suite");
        JsonNode m = report.get("metrics");
        assertEquals("top1_one_k", report.get("primary_metric").asText());
        assertEquals(logged.get("top1_one_k").asDouble(), m.get("top1").asDouble(), 1e-9,
                "the suite's top-1 is the primary classifier's");
        assertEquals(100, report.get("test_images").asInt());
        assertEquals("test", report.get("eval_set").asText());
        assertTrue(m.get("top5").asDouble() >= m.get("top1").asDouble(), m.toString());
        assertTrue(m.get("ece").asDouble() >= 0 && m.get("ece").asDouble() <= 1, m.toString());
        assertTrue(m.get("fgsm_error").asDouble() >= 1 - m.get("top1").asDouble(), "FGSM error >= clean error: " + m);
        int counted = 0;
        for (JsonNode c : report.get("calibration").get("count")) {
            counted += c.asInt();
        }
        assertEquals(100, counted, "every test image in one confidence bin");
        assertTrue(r[1].contains("ECE") && r[1].contains("FGSM") && r[1].contains("mixed samples"), r[1]);
        assertTrue(ImageIO.read(run.resolve("reliability.png").toFile()) != null, "reliability diagram written");
    }

    /** The suite on another of AutoMix's classifiers: its own files, the deployed classifier's eval.json untouched. */
    @Test
    void evalRunsTheSuiteOnAChosenClassifier() throws Exception {
        String before = Files.readString(run.resolve("eval.json"));
        String[] r = call("eval", "--run", run.toString(), "--classifier", "top1_mix_k");
        assertEquals("0", r[0], r[2]);
        JsonNode report = new ObjectMapper().readTree(run.resolve("eval-top1_mix_k.json").toFile());
        assertEquals("top1_mix_k", report.get("primary_metric").asText());
        assertEquals(false, report.get("deployed").asBoolean());
        assertEquals(report.get("classifiers").get("top1_mix_k").asDouble(), report.get("metrics").get("top1")
                .asDouble(), 1e-9, "the suite's top-1 is the chosen classifier's");
        assertTrue(Files.isRegularFile(run.resolve("reliability-top1_mix_k.png")));
        assertEquals(before, Files.readString(run.resolve("eval.json")), "the deployed classifier's report stays");
        assertTrue(r[1].contains("wrote " + run.resolve("eval-top1_mix_k.json")), r[1]);

        String[] unknown = call("eval", "--run", run.toString(), "--classifier", "top1_nope");
        assertEquals("1", unknown[0], unknown[1]);
        assertEquals("automix-onnx: error: method automix has no classifier 'top1_nope'; it has top1_mix_k, top1_mix_q,"
                + " top1_one_k, top1_one_q", unknown[2].strip());
    }

    @Test
    void visualizeWritesTheMixGrid() throws Exception {
        Path png = dir.resolve("mix.png");
        String[] r = call("visualize", "--run", run.toString(), "--out", png.toString(), "--pairs", "3", "--scale", "2");
        assertEquals("0", r[0], r[2]);
        BufferedImage img = ImageIO.read(png.toFile());
        int tile = 28 * 2 + 2;
        assertEquals(12 * tile, img.getWidth(), "A, B and a mix + mask for each of 5 lambdas");
        assertEquals(18 + 3 * tile, img.getHeight());
        // the legend, then per lambda the statistics of the 3 drawn masks, as training logs them per epoch
        List<String> lines = r[1].lines().toList();
        assertTrue(lines.get(0).contains("s = B's weight"), r[1]);
        for (int k = 0; k < MixGrid.LAMBDAS.length; k++) {
            String line = lines.get(1 + k);
            assertTrue(line.startsWith(String.format(Locale.ROOT, "lam %.1f", MixGrid.LAMBDAS[k])), line);
            for (String name : MaskStatistics.NAMES) {
                Matcher m = Pattern.compile(name + " ([0-9.]+)").matcher(line);
                assertTrue(m.find(), line);
                double v = Double.parseDouble(m.group(1));
                assertTrue(v >= 0 && v <= 1, line);
            }
        }
        assertTrue(lines.get(lines.size() - 1).startsWith("wrote "), r[1]);
    }

    @Test
    void commandsOnAMissingOrUnfinishedRunFailWithOneLine() throws Exception {
        String[] r = call("eval", "--run", dir.resolve("nope").toString());
        assertEquals("1", r[0]);
        assertTrue(r[2].contains("holds no run"), r[2]);
        Path empty = dir.resolve("unfinished");
        Files.createDirectories(empty);
        Files.copy(run.resolve("config.yaml"), empty.resolve("config.yaml"));
        r = call("visualize", "--run", empty.toString(), "--out", dir.resolve("x.png").toString());
        assertEquals("1", r[0]);
        assertTrue(r[2].contains("no checkpoint"), r[2]);
    }
}
