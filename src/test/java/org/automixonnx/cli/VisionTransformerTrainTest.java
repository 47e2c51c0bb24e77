package org.automixonnx.cli;

import static org.automixonnx.cli.CliCall.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.automixonnx.cli.CliCall.Run;
import org.automixonnx.onnx.OnnxIO;
import org.automixonnx.onnx.Shape;
import org.automixonnx.onnx.Tensor;
import org.automixonnx.runtime.GraphSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A small ViT trains on the bundled 28 x 28 Fashion-MNIST with AutoMix (MixBlock on the patch-token map l3) and the
 * baselines that use it differently (MixUp at the input, ManifoldMix at the token maps), and its run exports; a patch
 * size that does not divide the images is refused in one line before a run folder exists.
 */
class VisionTransformerTrainTest {
    /** 7 x 7 patches of 4 px, width 48 (3 heads of 16), two blocks. */
    static final String MODEL = "deit-t-d2-p4-w0.25";

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"automix", "mixup", "manifoldmix"})
    void trainsAndExportsOnTheBundledData(String method) throws Exception {
        Path out = dir.resolve(method);
        Run train = run("train", "--model", MODEL, "--method", method, "--epochs", "1", "--batch-size", "16",
                "--train-limit", "64", "--test-limit", "32", "--lr", "0.01", "--no-progress", "--out", out.toString());
        assertEquals(0, train.code(), train.err());
        assertTrue(Files.readString(out.resolve("status.json")).contains("finished"));

        Path onnx = dir.resolve(method + ".onnx");
        Run export = run("export", "--run", out.toString(), "--out", onnx.toString());
        assertEquals(0, export.code(), export.err());
        try (GraphSession s = new GraphSession(OnnxIO.read(onnx))) {
            Tensor images = Tensor.ofFloats(Shape.of(3, 1, 28, 28), ExportCommandTest.images(1, 28).floats());
            Tensor logits = s.run(Map.of("input", images)).get("logits");
            assertArrayEquals(new long[] {3, 10}, logits.shape().dims());
            for (float v : logits.floats()) {
                assertTrue(Float.isFinite(v), method + " logits " + logits);
            }
        }
    }

    @Test
    void aPatchSizeThatDoesNotDivideTheImagesIsRefusedBeforeTheRunStarts() {
        Path out = dir.resolve("refused");
        Run r = run("train", "--model", "deit-s-w0.25", "--method", "vanilla", "--epochs", "1", "--train-limit", "32",
                "--no-progress", "--out", out.toString());
        assertEquals(Main.EXIT_FAILURE, r.code());
        assertTrue(r.err().contains("a ViT with 16 px patches needs an image size divisible by 16, got 28x28"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertFalse(Files.exists(out));
    }
}
