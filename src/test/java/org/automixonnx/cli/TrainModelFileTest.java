package org.automixonnx.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;
import org.automixonnx.runtime.StateFile;
import org.automixonnx.train.TrainConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train --model-file}: a user's ONNX classifier (testdata/onnx/user_resnet.onnx: 3x16x16 images, 4 classes,
 * a Gemm head {@code fc}) trained with AutoMix and a baseline on a learnable image folder; the run keeps its own
 * copy of the file, so eval, resume and export work after the original is gone.
 */
class TrainModelFileTest {
    static final String TAP = "/Add_output_0";

    @TempDir
    static Path dir;
    static Path data4;
    static Path data3;
    static Path model;

    @BeforeAll
    static void writeDataAndModel() throws IOException {
        data4 = dir.resolve("data4");
        data3 = dir.resolve("data3");
        writeImageFolder(data4, 4, 40, 10);
        writeImageFolder(data3, 3, 40, 10);
        model = dir.resolve("user_resnet.onnx");
        Files.copy(Path.of("testdata/onnx/user_resnet.onnx"), model);
    }

    /**
     * Class k: noise tinted towards red, green, blue or none, a signal the image folders' random-resized-crop
     * and flip keep, so a few iterations separate the classes.
     */
    static void writeImageFolder(Path root, int classes, int train, int val) throws IOException {
        Random r = new Random(7);
        for (String split : List.of("train", "val")) {
            for (int k = 0; k < classes; k++) {
                Path folder = Files.createDirectories(root.resolve(split).resolve("class" + k));
                for (int i = 0; i < (split.equals("train") ? train : val); i++) {
                    BufferedImage img = new BufferedImage(18, 18, BufferedImage.TYPE_INT_RGB);
                    for (int y = 0; y < 18; y++) {
                        for (int x = 0; x < 18; x++) {
                            int[] c = new int[3];
                            for (int ch = 0; ch < 3; ch++) {
                                c[ch] = (ch == k ? 150 : 40) + r.nextInt(100);
                            }
                            img.setRGB(x, y, c[0] << 16 | c[1] << 8 | c[2]);
                        }
                    }
                    ImageIO.write(img, "png", folder.resolve(i + ".png").toFile());
                }
            }
        }
    }

    static String[] call(String... args) {
        return CliCall.call(args);
    }

    static String[] train(Path data, Path out, String method, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("train", "--dataset", "imagefolder", "--data",
                data.toString(), "--image-size", "16", "--model-file", model.toString(), "--method", method,
                "--batch-size", "20", "--epochs", "2", "--no-progress", "--out", out.toString()));
        args.addAll(List.of(more));
        return call(args.toArray(String[]::new));
    }

    static JsonNode lastMetrics(Path run) throws IOException {
        List<String> lines = Files.readAllLines(run.resolve("metrics.jsonl"));
        return new ObjectMapper().readTree(lines.get(lines.size() - 1));
    }

    @Test
    void autoMixTrainsAModelFileAndTheRunStandsOnItsOwnCopy() throws Exception {
        Path run = dir.resolve("automix");
        String[] r = train(data4, run, "automix", "--feature-tap", TAP);
        assertEquals("0", r[0], r[2]);
        assertTrue(r[1].contains("model file"), r[1]);
        assertArrayEquals(Files.readAllBytes(model), Files.readAllBytes(run.resolve("model.onnx")), "the run's copy");
        TrainConfig saved = TrainConfig.read(run.resolve("config.yaml"));
        assertEquals("model.onnx", saved.modelFile);
        assertEquals(TAP, saved.featureTap);
        JsonNode meta = StateFile.read(run.resolve("last.state")).meta();
        assertEquals("model.onnx", meta.get("model_file").asText());
        assertEquals(TAP, meta.get("feature_tap").asText());
        assertTrue(meta.get("two_heads").asBoolean());
        assertTrue(!meta.has("architecture"), meta.toString());
        JsonNode m = lastMetrics(run);
        assertTrue(m.get("top1_one_q").asDouble() > 0.5, "4 classes, chance 0.25: " + m);
        assertTrue(m.has("loss_gen") && m.has("loss_mask"), "the MixBlock trained at the named tap: " + m);

        // without the original file: eval, resume (one more epoch) and export use the run's copy
        Path moved = dir.resolve("moved.onnx");
        Files.move(model, moved);
        try {
            String[] eval = call("eval", "--run", run.toString());
            assertEquals("0", eval[0], eval[2]);
            String[] resumed = call("train", "--resume", "--out", run.toString(), "--epochs", "3", "--no-progress");
            assertEquals("0", resumed[0], resumed[2]);
            assertEquals(3, Files.readAllLines(run.resolve("metrics.jsonl")).size());
            Path exported = dir.resolve("exported.onnx");
            String[] ex = call("export", "--run", run.toString(), "--out", exported.toString());
            assertEquals("0", ex[0], ex[2]);
            assertEquals(4, exportedLogits(exported)[1].length, "logits over the data's 4 classes");
        } finally {
            Files.move(moved, model);
        }
    }

    @Test
    void aBaselineTrainsAModelFileWithItsHeadReplacedForAnotherClassCount() throws Exception {
        Path run = dir.resolve("mixup3");
        String[] r = train(data3, run, "mixup");
        assertEquals("0", r[0], r[2]);
        StateFile state = StateFile.read(run.resolve("last.state"));
        assertArrayEquals(new long[] {3, state.tensors().get("fc.weight").shape().dim(1)},
                state.tensors().get("fc.weight").shape().dims(), "a new [K, D] head for the 3 classes");
        assertTrue(lastMetrics(run).get("top1").asDouble() > 1.0 / 3, lastMetrics(run).toString());
        Path exported = dir.resolve("exported3.onnx");
        String[] ex = call("export", "--run", run.toString(), "--out", exported.toString());
        assertEquals("0", ex[0], ex[2]);
        assertEquals(3, exportedLogits(exported)[1].length);
    }

    /** PuzzleMix's saliency graph differentiates the imported classifier's evaluation graph wrt its input. */
    @Test
    void puzzleMixTrainsAModelFile() throws Exception {
        Path run = dir.resolve("puzzlemix");
        String[] r = train(data4, run, "puzzlemix");
        assertEquals("0", r[0], r[2]);
        assertTrue(Files.isRegularFile(run.resolve("graphs/saliency.onnx")));
        JsonNode m = lastMetrics(run);
        assertTrue(m.get("loss").asDouble() > 0 && m.get("lam").asDouble() > 0, m.toString());
        assertTrue(m.get("top1").asDouble() > 0.25, "4 classes, chance 0.25: " + m);
    }

    @Test
    void mistakesNameTheProblem() {
        Map<String[], String> cases = Map.of(
                train(data4, dir.resolve("e1"), "automix"), "needs --feature-tap",
                train(data4, dir.resolve("e2"), "manifoldmix"), "--feature-tap",
                call("train", "--model-file", model.toString(), "--epochs", "1", "--out", dir.resolve("e3").toString()),
                        "takes 3x16x16 images, the data set has 1x28x28",
                train(data4, dir.resolve("e4"), "automix", "--feature-tap", "nope"), "no tensor named 'nope'",
                call("train", "--model", "resnet18", "--model-file", model.toString(), "--out",
                        dir.resolve("e5").toString()), "mutually exclusive",
                call("train", "--feature-tap", TAP, "--out", dir.resolve("e6").toString()), "feature-tap needs model-file");
        cases.forEach((r, expected) -> {
            assertEquals("1", r[0], r[1] + r[2]);
            assertTrue(r[2].contains(expected), "expected '" + expected + "' in: " + r[2]);
            assertEquals(1, r[2].lines().filter(l -> l.startsWith("automix-onnx: error:")).count(), r[2]);
        });
    }

    /** Logits of the exported model on two zero images: [2][K]. */
    static float[][] exportedLogits(Path file) throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession s = env.createSession(file.toString());
                OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(new float[2 * 3 * 16 * 16]),
                        new long[] {2, 3, 16, 16});
                OrtSession.Result out = s.run(Map.of("input", x))) {
            return (float[][]) out.get("logits").orElseThrow().getValue();
        }
    }
}
