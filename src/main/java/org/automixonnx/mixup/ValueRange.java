package org.automixonnx.mixup;

import java.util.List;

/**
 * Range checks of config values: each adds "NAME must be ... (got VALUE)" to a list of problems when the value is
 * outside its range. NaN and the infinities are outside every range of a double (a NaN compares false with
 * everything, so a plain {@code value < min} test would let it through).
 */
public final class ValueRange {
    private ValueRange() {
    }

    /** A finite value greater than {@code min}. */
    public static void above(List<String> problems, String name, double value, double min) {
        if (!(Double.isFinite(value) && value > min)) {
            problems.add(name + " must be a finite number > " + number(min) + " (got " + value + ")");
        }
    }

    /** A finite value of at least {@code min}. */
    public static void atLeast(List<String> problems, String name, double value, double min) {
        if (!(Double.isFinite(value) && value >= min)) {
            problems.add(name + " must be a finite number >= " + number(min) + " (got " + value + ")");
        }
    }

    /** A finite value in [{@code min}, {@code max}]. */
    public static void within(List<String> problems, String name, double value, double min, double max) {
        if (!(Double.isFinite(value) && value >= min && value <= max)) {
            problems.add(name + " must be a finite number in [" + number(min) + ", " + number(max) + "] (got " + value
                    + ")");
        }
    }

    /** An integer of at least {@code min}. */
    public static void atLeast(List<String> problems, String name, long value, long min) {
        if (value < min) {
            problems.add(name + " must be >= " + min + " (got " + value + ")");
        }
    }

    /** An integer in [{@code min}, {@code max}]. */
    public static void within(List<String> problems, String name, long value, long min, long max) {
        if (value < min || value > max) {
            problems.add(name + " must be in [" + min + ", " + max + "] (got " + value + ")");
        }
    }

    /** 0.5 as "0.5", 1.0 as "1": the bounds as a user would write them. */
    private static String number(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }
}
