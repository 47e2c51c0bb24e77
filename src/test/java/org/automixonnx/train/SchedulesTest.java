package org.automixonnx.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.automixonnx.mixup.EmaMomentum;
import org.automixonnx.mixup.MaskLossWeight;
import org.junit.jupiter.api.Test;

class SchedulesTest {
    @Test
    void cosineLrFollowsTheFormulaPerEpoch() {
        CosineLr s = new CosineLr(0.1, 0.05, 200);
        assertEquals(0.1, s.at(0), 1e-15);
        assertEquals(0.075, s.at(100), 1e-15);
        assertEquals(0.05 + 0.05 * (1 + Math.cos(Math.PI * 37 / 200.0)) / 2, s.at(37), 1e-15);
        assertTrue(s.at(199) > 0.05 && s.at(199) < 0.0501);
        CosineLr base = new CosineLr(0.1, 0, 10);
        assertEquals(0.05, base.at(5), 1e-15);
    }

    @Test
    void cosineLrWarmsUpLinearly() {
        CosineLr s = new CosineLr(0.4, 0, 20, 4, 0.1);
        assertEquals(0.04, s.at(0), 1e-12);
        assertEquals(0.04 + 0.36 * 2 / 4, s.at(2), 1e-12);
        assertEquals(0.2 * (1 + Math.cos(Math.PI * 4 / 20)), s.at(4), 1e-12);
    }

    @Test
    void emaMomentumIsConstantDuringWarmupThenRisesByCosine() {
        EmaMomentum m = new EmaMomentum(0.999, 0.999999, 0.1, 1000);
        assertEquals(0.999, m.at(0));
        assertEquals(0.999, m.at(99));
        double t = 100;
        assertEquals(0.999999 - (0.999999 - 0.999) * (Math.cos(Math.PI * t / 1000) + 1) / 2, m.at(100), 1e-15);
        assertEquals((0.999 + 0.999999) / 2, m.at(500), 1e-12);
        assertEquals(0.999999, m.at(1000), 1e-15);
        for (long i = 100; i < 1000; i++) {
            assertTrue(m.at(i + 1) >= m.at(i), "monotone at " + i);
        }
    }

    @Test
    void maskLossWeightSchedules() {
        assertEquals(0.1, new MaskLossWeight(MaskLossWeight.Kind.CONSTANT, 0.1, 100).at(70));
        assertEquals(0.03, new MaskLossWeight(MaskLossWeight.Kind.LINEAR, 0.1, 100).at(70), 1e-12);
        MaskLossWeight cos = new MaskLossWeight(MaskLossWeight.Kind.COSINE, 0.1, 100);
        assertEquals(0.1, cos.at(0), 1e-15);
        assertEquals(0.05, cos.at(50), 1e-12);
        assertEquals(0.0, cos.at(100), 1e-15);
        assertEquals(0.05 * (1 + Math.cos(Math.PI * 0.3)), cos.at(30), 1e-12);
    }

    @Test
    void invalidSchedulesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new CosineLr(0.1, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new EmaMomentum(0.999, 1.5, 0.1, 10));
    }
}
