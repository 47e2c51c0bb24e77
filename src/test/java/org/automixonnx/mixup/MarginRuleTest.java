package org.automixonnx.mixup;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.FloatBuffer;
import org.junit.jupiter.api.Test;

class MarginRuleTest {
    private static final float[] MASK_Q = {0.2f, 0.9f, 0.5f, 0.0f};

    @Test
    void interiorLambdaUsesTheLearnedMaskAsOwnWeight() {
        assertArrayEquals(new float[] {0.8f, 0.1f, 0.5f, 1.0f}, apply(0.5), 1e-7f);
        assertArrayEquals(new float[] {0.8f, 0.1f, 0.5f, 1.0f}, apply(0.0801), 1e-7f);
        assertFalse(MarginRule.plainMixup(0.919));
    }

    @Test
    void lambdaNearZeroOrOneFallsBackToPlainMixup() {
        assertArrayEquals(new float[] {0.08f, 0.08f, 0.08f, 0.08f}, apply(0.08), 0f);
        assertArrayEquals(new float[] {0.95f, 0.95f, 0.95f, 0.95f}, apply(0.95), 0f);
        assertTrue(MarginRule.plainMixup(0.92));
    }

    @Test
    void sizesMustAgree() {
        assertThrows(IllegalArgumentException.class,
                () -> MarginRule.studentMask(FloatBuffer.wrap(MASK_Q), 0.5, FloatBuffer.allocate(3)));
    }

    private static float[] apply(double lamQ) {
        FloatBuffer out = FloatBuffer.allocate(MASK_Q.length);
        MarginRule.studentMask(FloatBuffer.wrap(MASK_Q), lamQ, out);
        return out.array();
    }
}
