package org.automixonnx.train;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.automixonnx.mixup.MaskStatistics;
import org.junit.jupiter.api.Test;

/** When the flat-mask warning fires, judged on the metric rows as the trainer has them after each epoch. */
class FlatMaskWarningTest {
    private static final double FLAT = MaskStatistics.FLAT_STD / 10;
    private static final double LEARNED = MaskStatistics.FLAT_STD * 10;

    /** The warning after each epoch of a run whose epochs had these mask_std means. */
    private static List<String> warnings(double... maskStd) {
        List<Map<String, Object>> rows = new ArrayList<>();
        List<String> out = new ArrayList<>();
        for (int e = 0; e < maskStd.length; e++) {
            rows.add(Map.of("epoch", e, "loss", 1.0, MaskStatistics.STD, maskStd[e]));
            out.add(FlatMaskWarning.check(rows));
        }
        return out;
    }

    @Test
    void flatMasksWarnOnceFromTheFirstJudgedEpoch() {
        List<String> w = warnings(FLAT, FLAT, FLAT, FLAT, FLAT);
        int first = FlatMaskWarning.FROM_EPOCH - 1;
        for (int e = 0; e < w.size(); e++) {
            if (e == first) {
                String line = w.get(e);
                assertNotNull(line, "flat at epoch " + FlatMaskWarning.FROM_EPOCH);
                assertTrue(line.contains("epoch " + FlatMaskWarning.FROM_EPOCH) && line.contains("like MixUp")
                        && line.contains("tap: l2") && line.contains("upsample: bilinear") && !line.contains("\n"),
                        line);
            } else {
                assertNull(w.get(e), "epoch " + (e + 1));
            }
        }
    }

    @Test
    void masksThatLearnedNeverWarnAndLateFlatnessWarnsWhenItComes() {
        assertTrue(warnings(FLAT, FLAT, LEARNED, LEARNED).stream().allMatch(w -> w == null));
        List<String> late = warnings(FLAT, FLAT, LEARNED, FLAT, FLAT);
        assertNotNull(late.get(3), "first judged flat epoch");
        assertNull(late.get(4));
    }

    @Test
    void runsWithoutMaskStatisticsNeverWarn() {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int e = 0; e < 5; e++) {
            rows.add(Map.of("epoch", e, "loss", 1.0));
            assertNull(FlatMaskWarning.check(rows));
        }
    }
}
