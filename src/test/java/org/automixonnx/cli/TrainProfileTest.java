package org.automixonnx.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.automixonnx.runtime.ProfileSummary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code train --profile DIR}: one ORT profile per graph, a summary per graph, nothing left in the saved config. */
class TrainProfileTest {
    @TempDir
    Path dir;

    @Test
    void autoMixRunWritesAndSummarisesAProfilePerStepGraph() throws Exception {
        Path profiles = dir.resolve("profiles");
        Path run = dir.resolve("run");
        String[] r = CliCall.call("train", "--model", "resnet18-cifar-w0.125", "--epochs", "1", "--batch-size", "50",
                "--train-limit", "100", "--test-limit", "50", "--no-progress", "--out", run.toString(),
                "--profile", profiles.toString());
        assertEquals("0", r[0], r[2]);
        List<String> names;
        try (var files = Files.list(profiles)) {
            names = files.map(p -> p.getFileName().toString()).sorted().toList();
        }
        for (String graph : List.of("mixblock_step", "student_step")) {
            Path file = profiles.resolve(names.stream().filter(n -> n.startsWith(graph + "_") && n.endsWith(".json"))
                    .findFirst().orElseThrow(() -> new AssertionError("no profile of " + graph + " in " + names)));
            ProfileSummary s = ProfileSummary.read(file);
            assertFalse(s.perOperator().isEmpty(), "kernels recorded for " + graph);
            assertTrue(s.perOperator().stream().anyMatch(e -> e.getKey().equals("Conv")), graph + " runs convolutions");
            // 100 images in batches of 50: the step graph ran twice
            Matcher m = Pattern.compile("ORT profile \\S*" + graph + "_\\S*\\Rkernel time per step: [0-9.]+ ms over "
                    + "(\\d+) profiled runs").matcher(r[1]);
            assertTrue(m.find(), "summary of " + graph + " printed:\n" + r[1]);
            assertEquals("2", m.group(1), "one profiled run per iteration");
        }
        assertFalse(Files.readString(run.resolve("config.yaml")).contains("profile"),
                "the profile folder is not part of the run's config");
    }
}
