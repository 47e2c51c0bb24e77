package org.automixonnx.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --model-file}: a user's ONNX classifier goes through the same commands as a zoo model. */
class ModelFileOptionTest {
    static final String FILE = "testdata/onnx/user_resnet.onnx";

    @TempDir
    Path dir;

    static String[] run(String... args) {
        return CliCall.call(args);
    }

    @Test
    void graphsAreBuiltForAModelFile() throws Exception {
        String[] r = run("graphs", "--model-file", FILE, "--feature-tap", "/Add_output_0", "--image-size", "16",
                "--classes", "4", "--batch-size", "4", "--out", dir.toString());
        assertEquals("0", r[0], r[2]);
        try (var files = Files.list(dir)) {
            assertTrue(files.anyMatch(f -> f.toString().endsWith(".onnx")));
        }
    }

    @Test
    void mistakesAreReported() {
        String[] size = run("graphs", "--model-file", FILE, "--image-size", "32", "--out", dir.toString());
        assertEquals("1", size[0]);
        assertTrue(size[2].contains("expects images"), size[2]);
        String[] both = run("graphs", "--model", "resnet18", "--model-file", FILE, "--out", dir.toString());
        assertEquals("2", both[0]);
        assertTrue(both[2].contains("mutually exclusive"), both[2]);
        String[] tap = run("graphs", "--model-file", FILE, "--image-size", "16", "--feature-tap", "nope",
                "--out", dir.toString());
        assertTrue(tap[2].contains("no tensor named 'nope'"), tap[2]);
        String[] missing = run("graphs", "--model-file", "no/such.onnx", "--out", dir.toString());
        assertEquals("1", missing[0]);
        assertTrue(missing[2].contains("no/such.onnx"), missing[2]);
    }
}
