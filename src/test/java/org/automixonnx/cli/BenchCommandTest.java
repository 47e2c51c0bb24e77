package org.automixonnx.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bench --method}: a method's whole iteration, timed and (with --profile) profiled per graph. */
class BenchCommandTest {
    @TempDir
    Path dir;

    @Test
    void timesAndProfilesAWholeAutoMixIteration() {
        Path profiles = dir.resolve("p");
        String[] r = CliCall.call("bench", "--model", "resnet18-cifar-w0.125", "--method", "automix", "--channels", "1",
                "--image-size", "16", "--batch-size", "8", "--steps", "2", "--warmup", "1", "--profile",
                profiles.toString());
        assertEquals("0", r[0], r[2]);
        assertTrue(r[1].contains("resnet18-cifar-w0.125 automix iteration"), r[1]);
        assertTrue(Pattern.compile("steps timed\\s+2 \\(after 1 warm-up\\)").matcher(r[1]).find(), r[1]);
        // the iteration split into its two graphs and the Java side, each a mean time per timed step
        for (String part : new String[] {"mixblock_step", "student_step", "Java side"}) {
            assertTrue(Pattern.compile("\\s" + part + "\\s+mean [0-9.]+ s per step").matcher(r[1]).find(), r[1]);
        }
        // both step graphs ran once per iteration, warm-up included
        for (String graph : new String[] {"mixblock_step", "student_step"}) {
            Matcher m = Pattern.compile("ORT profile \\S*" + graph + "_\\S*\\Rkernel time per step: [0-9.]+ ms over "
                    + "(\\d+) profiled runs").matcher(r[1]);
            assertTrue(m.find(), graph + " profiled:\n" + r[1]);
            assertEquals("3", m.group(1), graph);
        }
    }

    @Test
    void baselineIterationAndUnknownMethod() {
        String[] ok = CliCall.call("bench", "--model", "resnet18-cifar-w0.125", "--method", "cutmix", "--channels", "1",
                "--image-size", "16", "--batch-size", "8", "--steps", "1", "--warmup", "0");
        assertEquals("0", ok[0], ok[2]);
        assertTrue(ok[1].contains("cutmix iteration") && ok[1].contains("images/s (median)"), ok[1]);
        String[] bad = CliCall.call("bench", "--model", "resnet18-cifar-w0.125", "--method", "nomix", "--batch-size",
                "8", "--steps", "1");
        assertEquals("1", bad[0], bad[1]);
        assertTrue(bad[2].contains("nomix") && bad[2].lines().count() <= 2, bad[2]);
    }
}
