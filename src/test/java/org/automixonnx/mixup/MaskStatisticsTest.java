package org.automixonnx.mixup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The MixBlock health figures on masks with known values (each mask here is 4 x 4 = 16 pixels). */
class MaskStatisticsTest {
    private static final int PLANE = 16;

    private static float[] constant(float v) {
        float[] m = new float[PLANE];
        Arrays.fill(m, v);
        return m;
    }

    /** Left half 0 (own image), right half 1 (partner). */
    private static float[] halfAndHalf() {
        float[] m = new float[PLANE];
        for (int p = 0; p < PLANE; p++) {
            m[p] = p % 4 < 2 ? 0f : 1f;
        }
        return m;
    }

    private static MaskStatistics of(double lam, float[]... masks) {
        float[] all = new float[masks.length * PLANE];
        for (int i = 0; i < masks.length; i++) {
            System.arraycopy(masks[i], 0, all, i * PLANE, PLANE);
        }
        MaskStatistics s = new MaskStatistics();
        s.add(FloatBuffer.wrap(all), masks.length, lam);
        return s;
    }

    @Test
    void flatGreyMaskHasNoSpreadAndNoBinaryPixels() {
        MaskStatistics s = of(0.7, constant(0.3f));
        assertEquals(0, s.std(), 1e-7);
        assertEquals(0, s.binary());
        assertEquals(0, s.gap(), 1e-7, "mean 0.3 = 1 - lam");
        assertTrue(MaskStatistics.flat(s.std()));
    }

    @Test
    void flatMaskAtZeroOrOneIsAllBinary() {
        assertEquals(1, of(0.5, constant(0f)).binary());
        assertEquals(1, of(0.5, constant(1f)).binary());
        assertEquals(0, of(0.5, constant(1f)).std(), 1e-7);
        assertEquals(0.5, of(0.5, constant(1f)).gap(), 1e-7, "mean 1 against the target 0.5");
    }

    @Test
    void halfAndHalfCutIsBinaryWithSpreadOneHalf() {
        MaskStatistics s = of(0.5, halfAndHalf());
        assertEquals(0.5, s.std(), 1e-7);
        assertEquals(1, s.binary());
        assertEquals(0, s.gap(), 1e-7, "mean 0.5 is the target of lam 0.5");
        assertFalse(MaskStatistics.flat(s.std()));
    }

    @Test
    void gapIsTheDistanceOfEachMasksMeanFromOneMinusLambda() {
        // target 1 - 0.8 = 0.2: one mask on target, one at 0.5 (off by 0.3), one cut at mean 0.5 (off by 0.3)
        MaskStatistics s = of(0.8, constant(0.2f), constant(0.5f), halfAndHalf());
        assertEquals((0 + 0.3 + 0.3) / 3, s.gap(), 1e-6);
        assertEquals(0.5 / 3, s.std(), 1e-6, "the mean over masks of each mask's own spread");
        assertEquals(1.0 / 3, s.binary(), 1e-7);
        assertEquals(3, s.masks());
    }

    @Test
    void pixelsWithinTheMarginOfZeroOrOneCountAsBinary() {
        float[] m = constant(0.5f);
        m[0] = 0.04f;
        m[1] = 0.96f;
        m[2] = 0.06f;
        m[3] = 0.94f;
        assertEquals(2.0 / PLANE, of(0.5, m).binary(), 1e-9);
    }

    @Test
    void addsAccumulateUntilReset() {
        MaskStatistics s = of(0.5, halfAndHalf());
        s.add(FloatBuffer.wrap(constant(0.5f)), 1, 0.5);
        assertEquals(0.25, s.std(), 1e-7);
        assertEquals(0.5, s.binary(), 1e-7);
        Map<String, Double> metrics = new LinkedHashMap<>();
        s.putInto(metrics);
        assertEquals(MaskStatistics.NAMES, List.copyOf(metrics.keySet()));
        s.reset();
        assertEquals(0, s.masks());
        s.add(FloatBuffer.wrap(constant(0.5f)), 1, 0.5);
        assertEquals(0, s.std(), 1e-7);
    }

    @Test
    void maskCountMustDivideTheBuffer() {
        assertThrows(IllegalArgumentException.class, () -> new MaskStatistics().add(FloatBuffer.allocate(10), 3, 0.5));
    }
}
