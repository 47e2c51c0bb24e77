package org.automixonnx.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.automixonnx.runtime.LinearRegressionStep;
import org.automixonnx.runtime.SessionFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchServiceTest {
    private static StepWorkload workload(Map<String, Double> hyper) {
        return new StepWorkload("linreg", LinearRegressionStep.build(1), LinearRegressionStep.N, 3, hyper);
    }

    @Test
    void timesTheRequestedStepsAndReportsThroughputAndMemory() {
        BenchResult r = new BenchService(SessionFactory.cpu())
                .run(workload(Map.of("hp.lr", 0.1, "hp.momentum", 0.9)), 5, 2);
        assertEquals(5, r.stepSeconds().length);
        assertTrue(r.medianStepSeconds() > 0);
        assertEquals(LinearRegressionStep.N / r.medianStepSeconds(), r.medianImagesPerSecond(), 1e-9);
        assertTrue(r.memory().heapBytes() > 0);
        assertTrue(r.memory().rssBytes() > r.memory().heapBytes() / 100, "VmHWM read from /proc");
        // the one graph's runs are part of every timed step, and no more than the steps' total
        String graph = LinearRegressionStep.build(1).name();
        assertEquals(java.util.Set.of(graph), r.graphSecondsPerStep().keySet());
        double meanStep = java.util.Arrays.stream(r.stepSeconds()).average().orElseThrow();
        assertTrue(r.graphSecondsPerStep().get(graph) > 0 && r.graphSecondsPerStep().get(graph) <= meanStep,
                r.graphSecondsPerStep() + " against a mean step of " + meanStep);
        String table = r.table();
        assertTrue(table.contains("images/s (median)") && table.contains("peak RSS (VmHWM)")
                && table.contains("Java side"), table);
    }

    @Test
    void medianOfEvenAndOddCounts() {
        PeakMemory m = new PeakMemory(1, 1);
        assertEquals(2.0, new BenchResult("x", 1, 0, new double[] {3, 1, 2}, Map.of(), m, "cpu", 1, null)
                .medianStepSeconds());
        assertEquals(2.5, new BenchResult("x", 1, 0, new double[] {4, 1, 3, 2}, Map.of(), m, "cpu", 1, null)
                .medianStepSeconds());
    }

    @Test
    void missingHyperParameterValuesAreNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new BenchService(SessionFactory.cpu()).run(workload(Map.of("hp.lr", 0.1)), 1, 0));
        assertTrue(e.getMessage().contains("hp.momentum"), e.getMessage());
    }

    @Test
    void readsVmHwmInKilobytes(@TempDir Path dir) throws Exception {
        Path status = dir.resolve("status");
        Files.writeString(status, "Name:\tjava\nVmPeak:\t 999 kB\nVmHWM:\t    2048 kB\nVmRSS:\t 1 kB\n");
        assertEquals(2048L * 1024, PeakMemory.residentHighWaterMark(status));
        assertEquals(PeakMemory.UNKNOWN, PeakMemory.residentHighWaterMark(dir.resolve("absent")));
    }
}
