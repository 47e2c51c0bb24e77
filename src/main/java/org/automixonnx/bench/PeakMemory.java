package org.automixonnx.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Peak memory of this process: the JVM heap (sum of the heap pools' peaks) and the resident set high-water
 * mark from {@code /proc/self/status} (VmHWM), which also counts ORT's native arenas and direct buffers.
 */
public record PeakMemory(long heapBytes, long rssBytes) {
    public static final long UNKNOWN = -1;

    public static PeakMemory now() {
        long heap = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
                heap += pool.getPeakUsage().getUsed();
            }
        }
        return new PeakMemory(heap, residentHighWaterMark(Path.of("/proc/self/status")));
    }

    /** VmHWM in bytes, or {@link #UNKNOWN} where /proc is not available (not Linux). */
    static long residentHighWaterMark(Path status) {
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("VmHWM:")) {
                    String[] parts = line.substring(6).trim().split("\\s+");
                    return Long.parseLong(parts[0]) * 1024L; // the kernel reports kB
                }
            }
        } catch (IOException | RuntimeException e) {
            return UNKNOWN;
        }
        return UNKNOWN;
    }
}
