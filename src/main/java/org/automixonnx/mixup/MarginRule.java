package org.automixonnx.mixup;

import java.nio.FloatBuffer;

/**
 * AutoMix step 4 on the Java side: turns {@code mixblock_step}'s {@code mask_q} (partner weight s_q) into
 * {@code student_step}'s {@code mix_mask} (own weight). Normally {@code 1 - s_q}; when lam_q is within
 * {@link #MARGIN} of 0 or 1 the learned mask is replaced by plain MixUp, s_q = 1 - lam_q, i.e. own weight lam_q.
 */
public final class MarginRule {
    /** lam_q <= 0.08 or lam_q >= 0.92 selects plain MixUp. */
    public static final double MARGIN = 0.08;

    private MarginRule() {
    }

    public static boolean plainMixup(double lamQ) {
        return plainMixup(lamQ, MARGIN);
    }

    public static boolean plainMixup(double lamQ, double margin) {
        return lamQ <= margin || lamQ >= 1 - margin;
    }

    /** Writes the student's own-weight mask into {@code mixMask} (same length as {@code maskQ}). */
    public static void studentMask(FloatBuffer maskQ, double lamQ, FloatBuffer mixMask) {
        studentMask(maskQ, lamQ, mixMask, MARGIN);
    }

    /** As {@link #studentMask(FloatBuffer, double, FloatBuffer)} with a configurable margin. */
    public static void studentMask(FloatBuffer maskQ, double lamQ, FloatBuffer mixMask, double margin) {
        int n = maskQ.limit();
        if (mixMask.limit() != n) {
            throw new IllegalArgumentException("mask sizes differ: " + n + " vs " + mixMask.limit());
        }
        if (plainMixup(lamQ, margin)) {
            for (int i = 0; i < n; i++) {
                mixMask.put(i, (float) lamQ);
            }
        } else {
            for (int i = 0; i < n; i++) {
                mixMask.put(i, 1f - maskQ.get(i));
            }
        }
    }
}
