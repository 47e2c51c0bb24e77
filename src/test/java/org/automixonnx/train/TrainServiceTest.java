package org.automixonnx.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.automixonnx.mixup.MaskStatistics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** End-to-end training runs on the bundled Fashion-MNIST subset with a tiny network. */
class TrainServiceTest {
    static TrainConfig tiny(String method) {
        return new TrainConfig().with(Map.of("method", method, "model", "resnet18-cifar-w0.125", "epochs", 2,
                "batchSize", 50, "trainLimit", 1000, "testLimit", 200, "progress", false, "lr", 0.05));
    }

    @Test
    void vanillaRunWritesItsFolderAndLearns(@TempDir Path dir) throws Exception {
        StringWriter console = new StringWriter();
        Path run = dir.resolve("run");
        List<EpochRecord> records = new TrainService(new PrintWriter(console, true)).train(tiny("vanilla"), run, false);
        assertEquals(2, records.size());
        assertTrue(records.get(1).losses().get("loss") < records.get(0).losses().get("loss"), records.toString());
        assertTrue(records.get(1).accuracy().get("top1") > 0.3, "far above the 10% of chance: " + records);
        for (String f : List.of("config.yaml", "metrics.jsonl", "summary.csv", "status.json", "loss.png",
                "accuracy.png", "graphs/train_step.onnx", "graphs/eval.onnx", "graphs/manifest.json")) {
            assertTrue(Files.isRegularFile(run.resolve(f)), f + " missing");
        }
        List<String> jsonl = Files.readAllLines(run.resolve("metrics.jsonl"));
        assertEquals(2, jsonl.size());
        JsonNode e1 = new ObjectMapper().readTree(jsonl.get(1));
        assertEquals(1, e1.get("epoch").asInt());
        assertEquals(records.get(1).accuracy().get("top1"), e1.get("top1").asDouble(), 1e-12);
        assertEquals("finished", new ObjectMapper().readTree(run.resolve("status.json").toFile()).get("status").asText());
        assertEquals(3, Files.readAllLines(run.resolve("summary.csv")).size());
        assertTrue(console.toString().contains("epoch 2/2"), console.toString());
        assertEquals(tiny("vanilla").toYaml(), TrainConfig.read(run.resolve("config.yaml")).toYaml());
        for (String k : MaskStatistics.NAMES) {
            assertFalse(e1.has(k), "only AutoMix logs mask statistics: " + e1);
        }
        assertFalse(Files.exists(run.resolve("mixblock.png")));
    }

    @Test
    void autoMixRunReportsAllFourClassifiersAndItsLossTerms(@TempDir Path dir) throws Exception {
        TrainConfig c = tiny("automix").with(Map.of("epochs", 1, "trainLimit", 400, "testLimit", 100));
        StringWriter console = new StringWriter();
        List<EpochRecord> records = new TrainService(new PrintWriter(console, true)).train(c, dir.resolve("r"), false);
        EpochRecord r = records.get(0);
        assertEquals(java.util.Set.of("top1_one_q", "top1_mix_q", "top1_one_k", "top1_mix_k"), r.accuracy().keySet());
        for (String k : List.of("loss", "loss_clean", "loss_mix", "loss_gen", "loss_mask")) {
            assertTrue(Double.isFinite(r.losses().get(k)) && r.losses().get(k) >= 0, k + " = " + r.losses().get(k));
        }
        double m = r.losses().get("ema_momentum");
        assertTrue(m > c.automix.emaStart && m < c.automix.emaEnd, "epoch mean of the rising EMA momentum: " + m);
        for (String g : List.of("mixblock_step.onnx", "student_step.onnx", "four_heads_eval.onnx")) {
            assertTrue(Files.isRegularFile(dir.resolve("r/graphs/" + g)), g);
        }
        // the MixBlock's health, from the 8 iterations' k masks (partner weights in (0, 1))
        JsonNode logged = new ObjectMapper().readTree(Files.readAllLines(dir.resolve("r/metrics.jsonl")).get(0));
        String header = Files.readAllLines(dir.resolve("r/summary.csv")).get(0);
        for (String k : MaskStatistics.NAMES) {
            double v = logged.path(k).asDouble(Double.NaN);
            assertTrue(v >= 0 && v <= 1, k + " = " + v + " in " + logged);
            assertEquals(r.losses().get(k), v, 1e-12);
            assertTrue(List.of(header.split(",")).contains(k), header);
            assertTrue(console.toString().contains("  " + k + " "), console.toString());
        }
        assertTrue(logged.get(MaskStatistics.STD).asDouble() <= 0.5, "weights in [0, 1] spread at most 0.5");
        assertTrue(Files.isRegularFile(dir.resolve("r/mixblock.png")));
    }

    @Test
    void mixupRunTrains(@TempDir Path dir) throws Exception {
        TrainConfig c = tiny("mixup").with(Map.of("epochs", 1, "trainLimit", 400, "testLimit", 100));
        EpochRecord r = new TrainService(new PrintWriter(new StringWriter())).train(c, dir.resolve("r"), false).get(0);
        assertTrue(Double.isFinite(r.losses().get("loss")));
        assertTrue(r.accuracy().containsKey("top1"));
    }

    @Test
    void imageFolderRunTrainsAtTheConfiguredSize(@TempDir Path dir) throws Exception {
        java.util.Random r = new java.util.Random(1);
        for (String split : List.of("train", "val")) {
            for (int k = 0; k < 3; k++) {
                for (int i = 0; i < (split.equals("train") ? 12 : 4); i++) {
                    java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(20 + r.nextInt(10), 24,
                            java.awt.image.BufferedImage.TYPE_INT_RGB);
                    for (int y = 0; y < img.getHeight(); y++) {
                        for (int x = 0; x < img.getWidth(); x++) {
                            img.setRGB(x, y, (0xff << (8 * k)) ^ r.nextInt(0x202020));
                        }
                    }
                    Path f = dir.resolve("data/" + split + "/class" + k + "/img" + i + ".png");
                    Files.createDirectories(f.getParent());
                    javax.imageio.ImageIO.write(img, "png", f.toFile());
                }
            }
        }
        TrainConfig c = tiny("vanilla").with(Map.of("dataset", "imagefolder", "data", dir.resolve("data").toString(),
                "imageSize", 16, "batchSize", 12, "epochs", 1, "trainLimit", 0, "testLimit", 0));
        new TrainService(new PrintWriter(new StringWriter())).train(c, dir.resolve("r"), false);
        com.fasterxml.jackson.databind.JsonNode m = new ObjectMapper().readTree(dir.resolve("r/graphs/manifest.json")
                .toFile());
        assertEquals("[12,3,16,16]", m.get("graphs").get(0).get("inputs").get(0).get("shape").toString());
        // the folder's images come class by class, so the last ones are no validation set
        org.automixonnx.data.DatasetException held = assertThrows(org.automixonnx.data.DatasetException.class,
                () -> DataSets.load(c.with(Map.of("holdout", 6))));
        assertTrue(held.getMessage().contains("holdout 6 is not available for an image folder"), held.getMessage());
    }

    @Test
    void existingRunFolderIsRefusedUnlessForced(@TempDir Path dir) throws Exception {
        Path run = dir.resolve("run");
        Files.createDirectories(run);
        Files.writeString(run.resolve("keep.txt"), "user data");
        TrainConfig c = tiny("vanilla").with(Map.of("epochs", 1, "trainLimit", 100, "testLimit", 50));
        ConfigException e = assertThrows(ConfigException.class,
                () -> new TrainService(new PrintWriter(new StringWriter())).train(c, run, false));
        assertTrue(e.getMessage().contains("already exists"), e.getMessage());
        assertTrue(Files.exists(run.resolve("keep.txt")), "a refused run must not touch the folder");
    }

    @Test
    void unknownNamesFailBeforeAnythingIsWritten(@TempDir Path dir) {
        Path run = dir.resolve("run");
        assertThrows(ConfigException.class, () -> new TrainService(new PrintWriter(new StringWriter()))
                .train(tiny("vanilla").with(Map.of("model", "resnet9000")), run, false));
        assertThrows(ConfigException.class, () -> new TrainService(new PrintWriter(new StringWriter()))
                .train(tiny("nosuchmethod"), dir.resolve("run2"), false));
        assertTrue(!Files.exists(run));
        assertTrue(!Files.exists(dir.resolve("run2")));
    }
}
