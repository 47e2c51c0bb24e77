package org.automixonnx.onnx;

import java.util.Locale;

/**
 * How much one file's contents may take in memory: no more than the Java heap's limit ({@code -Xmx},
 * {@link Runtime#maxMemory}) and no more than one Java array holds. Readers check the size a file declares (its
 * length, or its header's dimensions) against it before allocating, so a huge or lying file (a small gzip whose
 * header claims gigabytes) fails at once naming the file, instead of in an OutOfMemoryError after minutes. It lives
 * in the lowest package so that every reader (ONNX files, data sets, checkpoints) can use it.
 */
public final class HeapBudget {
    /** The largest array a JVM allocates (a few bytes under Integer.MAX_VALUE on HotSpot). */
    public static final long MAX_ARRAY_BYTES = Integer.MAX_VALUE - 8;

    private HeapBudget() {
    }

    /**
     * Null when {@code bytes} may be allocated as one array; otherwise why not, e.g. "needs 9.2 GB, more than the
     * 6.4 GB of the Java heap (raise it with JAVA_OPTS=-Xmx...)".
     */
    public static String refusal(long bytes) {
        String heap = totalRefusal(bytes);
        if (heap != null) {
            return heap;
        }
        if (bytes > MAX_ARRAY_BYTES) {
            return "needs " + size(bytes) + ", more than the " + size(MAX_ARRAY_BYTES) + " one Java array holds";
        }
        return null;
    }

    /** Null when {@code bytes} in several arrays may be allocated; otherwise why not (as {@link #refusal}). */
    public static String totalRefusal(long bytes) {
        return bytes > Runtime.getRuntime().maxMemory() ? "needs " + size(bytes) + ", more than " + heapLimit() : null;
    }

    /** A step of a command that may run out of heap. */
    public interface Step<T, E extends Exception> {
        T run() throws E;
    }

    /**
     * Runs {@code step}; running out of heap in it fails with an exception naming {@code what} was being done
     * (e.g. "building the graphs of automix for resnet18-cifar"), reported like any other failure. The large
     * allocation that failed is garbage by then, so the message can still be built.
     */
    public static <T, E extends Exception> T during(String what, Step<T, E> step) throws E {
        try {
            return step.run();
        } catch (OutOfMemoryError e) {
            throw new IllegalStateException("out of memory while " + what + ": it needs more than " + heapLimit(), e);
        }
    }

    /** "the 6.4 GB of the Java heap (raise it with JAVA_OPTS=-Xmx...)": the limit a message about memory names. */
    public static String heapLimit() {
        return "the " + size(Runtime.getRuntime().maxMemory()) + " of the Java heap (raise it with JAVA_OPTS=-Xmx...)";
    }

    /**
     * The product of the non-negative {@code factors}, or Long.MAX_VALUE when it overflows (a header's dimensions
     * may multiply to any size; beyond a long is beyond any memory).
     */
    public static long product(long... factors) {
        long p = 1;
        for (long f : factors) {
            try {
                p = Math.multiplyExact(p, f);
            } catch (ArithmeticException e) {
                return Long.MAX_VALUE;
            }
        }
        return p;
    }

    /** 2.6 GB, 310 MB, 12 KB. */
    static String size(long bytes) {
        if (bytes >= 1_000_000_000L) {
            return String.format(Locale.ROOT, "%.1f GB", bytes / 1e9);
        }
        return bytes >= 1_000_000L ? bytes / 1_000_000L + " MB" : Math.max(1, bytes / 1000) + " KB";
    }
}
