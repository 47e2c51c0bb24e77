package org.automixonnx.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import org.automixonnx.models.ModelZoo;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.automixonnx.data.Batch;
import org.automixonnx.mixup.MaskGenerator;
import org.automixonnx.mixup.MethodRegistry;
import org.automixonnx.mixup.PuzzleMixer;
import org.automixonnx.mixup.SampleMixMethod;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The sample-level baselines as registered: label weights under their default alphas, and short training runs. */
class BaselineMethodsTest {
    private static final int H = 28;

    private static double defaultAlpha(String method) {
        return MethodRegistry.standard().get(method).defaultAlpha();
    }

    /** The mask generator registered for a sample-level method. */
    private static MaskGenerator generator(String method) {
        SampleMixMethod.SampleLevel factory = (SampleMixMethod.SampleLevel) MethodRegistry.standard().get(method)
                .factory();
        return factory.generator().apply(ModelZoo.create("resnet18-cifar-w0.125", 1, 2));
    }

    private static double[] effectiveLambdas(String method, int draws) {
        MaskGenerator g = generator(method);
        double alpha = defaultAlpha(method);
        Batch b = new Batch(0, new float[2 * H * H], new long[2], new int[] {0, 1}, 1, H, H);
        SplittableRandom r = new SplittableRandom(method.hashCode());
        double[] lam = new double[draws];
        for (int i = 0; i < draws; i++) {
            lam[i] = SampleMixMethod.draw(g, alpha, r, b).mix().lam();
            assertTrue(lam[i] >= 0 && lam[i] <= 1, method + ": lam " + lam[i]);
        }
        return lam;
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x / v.length;
        }
        return s;
    }

    private static double variance(double[] v) {
        double m = mean(v);
        double s = 0;
        for (double x : v) {
            s += (x - m) * (x - m) / v.length;
        }
        return s;
    }

    /** MixUp, ManifoldMix and FMix keep lam ~ Beta(alpha, alpha): mean 1/2, variance 1 / (4 (2 alpha + 1)). */
    @Test
    void labelWeightsFollowTheDefaultBeta() {
        assertEquals(1.0, defaultAlpha("mixup"));
        assertEquals(2.0, defaultAlpha("manifoldmix"));
        assertEquals(0.2, defaultAlpha("fmix"));
        for (String m : List.of("mixup", "manifoldmix", "fmix", "gridmix")) {
            double[] lam = effectiveLambdas(m, 3000);
            double alpha = defaultAlpha(m);
            assertEquals(0.5, mean(lam), 0.03, m + " mean");
            // GridMix recomputes lam from its holes, which follow 1 - lam up to rounding
            assertEquals(1 / (4 * (2 * alpha + 1)), variance(lam), 0.01, m + " variance (alpha " + alpha + ")");
        }
    }

    /** ResizeMix: tau ~ U(0.1, 0.8) under its default alpha 1, so lam = 1 - tau^2 (floored box sides) up to rounding. */
    @Test
    void resizeMixLabelWeightComesFromAUniformScale() {
        double[] lam = effectiveLambdas("resizemix", 6000);
        double[] tau = new double[lam.length];
        for (int i = 0; i < lam.length; i++) {
            tau[i] = Math.sqrt(1 - lam[i]);
            assertTrue(tau[i] <= 0.8 + 1e-9 && tau[i] >= 0.1 - 1.0 / H, "box side ratio " + tau[i]);
        }
        // floor(tau H) / H is tau minus half a pixel on average
        assertEquals(0.45 - 0.5 / H, mean(tau), 0.01);
        assertEquals(0.7 * 0.7 / 12, variance(tau), 0.005);
    }

    /** CutMix and SaliencyMix draw lam ~ Beta(0.2, 0.2) (mean 1/2); clipping the box only ever raises it. */
    @Test
    void boxMethodsRecomputeLambdaFromTheClippedBox() {
        for (String m : List.of("cutmix", "saliencymix")) {
            assertEquals(0.2, defaultAlpha(m));
            double[] lam = effectiveLambdas(m, 1500);
            assertTrue(mean(lam) > 0.55, m + ": clipped boxes leave more of the original: mean " + mean(lam));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"cutmix", "manifoldmix", "fmix", "resizemix", "saliencymix", "gridmix", "puzzlemix"})
    void trainsAFewIterationsOnTheBundledData(String method, @TempDir Path dir) throws Exception {
        TrainConfig c = TrainServiceTest.tiny(method).with(Map.of("epochs", 1, "trainLimit", 100, "testLimit", 50));
        Path run = dir.resolve("run");
        List<EpochRecord> records = new TrainService(new PrintWriter(new StringWriter())).train(c, run, false);
        EpochRecord r = records.get(0);
        double loss = r.losses().get("loss");
        assertTrue(Double.isFinite(loss) && loss > 0, method + " loss " + loss);
        double lam = r.losses().get("lam");
        assertTrue(lam >= 0 && lam <= 1, method + " mean lam " + lam);
        double top1 = r.accuracy().get("top1");
        assertTrue(top1 >= 0 && top1 <= 1, method + " top1 " + top1);
        List<String> jsonl = Files.readAllLines(run.resolve("metrics.jsonl"));
        assertEquals(1, jsonl.size());
        JsonNode row = new ObjectMapper().readTree(jsonl.get(0));
        assertEquals(loss, row.get("loss").asDouble(), 1e-12);
        assertEquals(top1, row.get("top1").asDouble(), 1e-12);
        assertTrue(Files.isRegularFile(run.resolve("last.state")));
        List<String> steps = method.equals("manifoldmix")
                ? List.of("student_step", "student_step_l1", "student_step_l2") : List.of("student_step");
        for (String g : steps) {
            assertTrue(Files.isRegularFile(run.resolve("graphs/" + g + ".onnx")), g);
        }
    }

    /** PuzzleMix on the bundled data (28 x 28: block grids 2, 4, 7, 14): the mixed loss falls and top-1 beats chance. */
    @Test
    void puzzleMixLearns(@TempDir Path dir) throws Exception {
        assertEquals(1.0, defaultAlpha("puzzlemix"));
        TrainConfig c = TrainServiceTest.tiny("puzzlemix");
        Path run = dir.resolve("run");
        List<EpochRecord> records = new TrainService(new PrintWriter(new StringWriter())).train(c, run, false);
        assertEquals(2, records.size());
        double first = records.get(0).losses().get("loss");
        double second = records.get(1).losses().get("loss");
        assertTrue(second < first, "loss " + first + " -> " + second);
        double top1 = records.get(1).accuracy().get("top1");
        assertTrue(top1 > 0.25, "well above the 10% of chance: " + top1);
        double lam = records.get(1).losses().get("lam");
        assertTrue(lam > 0.2 && lam < 0.8, "mean mask ratio near the Beta(1, 1) mean 1/2: " + lam);
        for (String g : List.of("student_step", "saliency", "eval")) {
            assertTrue(Files.isRegularFile(run.resolve("graphs/" + g + ".onnx")), g);
        }
    }

    /** The config's puzzlemix section reaches the mixer; the shipped recipe holds the reference settings. */
    @Test
    void puzzleMixSettingsComeFromTheConfig() throws Exception {
        assertEquals(PuzzleMixer.Settings.defaults(), new TrainConfig().puzzlemix.settings());
        TrainConfig c = TrainConfig.read(Path.of("configs/puzzlemix-cifar10-resnet18.yaml"));
        assertEquals(PuzzleMixer.Settings.defaults(), c.puzzlemix.settings());
        c.puzzlemix.transport = false;
        c.puzzlemix.beta = 3;
        c.puzzlemix.labels = 2;
        PuzzleMixer.Settings s = c.puzzlemix.settings();
        assertEquals(3, s.beta());
        assertEquals(2, s.labels());
        assertTrue(!s.transport());
        c.puzzlemix.labels = 4;
        assertThrows(ConfigException.class, c::validate);
        c.puzzlemix.labels = 3;
        c.puzzlemix.neighbourhood = 0;
        assertThrows(ConfigException.class, c::validate);
        c.puzzlemix.neighbourhood = 4;
        c.puzzlemix.eta = Double.NaN; // compares false with everything: a plain eta < 0 let it through
        ConfigException nan = assertThrows(ConfigException.class, c::validate);
        assertTrue(nan.getMessage().contains("puzzlemix.eta must be a finite number >= 0 (got NaN)"), nan.getMessage());
    }
}
