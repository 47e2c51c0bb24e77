package org.automixonnx.onnx;

import java.util.Arrays;

/** A node attribute: one of the ONNX attribute kinds we use. */
public record Attribute(Kind kind, Object value) {
    public enum Kind { INT, FLOAT, STRING, INTS, FLOATS, STRINGS, TENSOR }

    public static Attribute of(long v) {
        return new Attribute(Kind.INT, v);
    }

    public static Attribute of(float v) {
        return new Attribute(Kind.FLOAT, v);
    }

    public static Attribute of(String v) {
        return new Attribute(Kind.STRING, v);
    }

    public static Attribute of(long[] v) {
        return new Attribute(Kind.INTS, v.clone());
    }

    public static Attribute of(float[] v) {
        return new Attribute(Kind.FLOATS, v.clone());
    }

    public static Attribute of(String[] v) {
        return new Attribute(Kind.STRINGS, v.clone());
    }

    public static Attribute of(Tensor v) {
        return new Attribute(Kind.TENSOR, v);
    }

    /** Wraps a plain Java value (Integer/Long, Float/Double, String, long[]/int[], float[], String[], Tensor). */
    public static Attribute wrap(Object v) {
        if (v instanceof Attribute a) {
            return a;
        } else if (v instanceof Integer i) {
            return of((long) i);
        } else if (v instanceof Long l) {
            return of((long) l);
        } else if (v instanceof Float f) {
            return of((float) f);
        } else if (v instanceof Double d) {
            return of(d.floatValue());
        } else if (v instanceof String s) {
            return of(s);
        } else if (v instanceof long[] ls) {
            return of(ls);
        } else if (v instanceof int[] is) {
            return of(Arrays.stream(is).asLongStream().toArray());
        } else if (v instanceof float[] fs) {
            return of(fs);
        } else if (v instanceof String[] ss) {
            return of(ss);
        } else if (v instanceof Tensor t) {
            return of(t);
        } else if (v instanceof Boolean b) {
            return of(b ? 1L : 0L);
        }
        throw new OnnxException("cannot use " + v + " (" + (v == null ? "null" : v.getClass().getSimpleName())
                + ") as an attribute value");
    }

    public long asInt() {
        return (Long) value;
    }

    public float asFloat() {
        return (Float) value;
    }

    public String asString() {
        return (String) value;
    }

    public long[] asInts() {
        return ((long[]) value).clone();
    }

    public float[] asFloats() {
        return ((float[]) value).clone();
    }

    public String[] asStrings() {
        return ((String[]) value).clone();
    }

    public Tensor asTensor() {
        return (Tensor) value;
    }

    @Override
    public String toString() {
        return switch (kind) {
            case INTS -> Arrays.toString((long[]) value);
            case FLOATS -> Arrays.toString((float[]) value);
            case STRINGS -> Arrays.toString((String[]) value);
            default -> String.valueOf(value);
        };
    }
}
