package org.automixonnx.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The CLI in a fresh JVM on the test classpath: for what one process cannot do to itself (signals, heap, folder). */
final class ChildCli {
    private ChildCli() {
    }

    /**
     * A process builder for {@code automix-onnx ARGS} with the heap {@code maxHeap} (e.g. "1g"), the bundled data
     * found from any working folder, and the quick JIT tier (these runs are short).
     */
    static ProcessBuilder command(String maxHeap, String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + maxHeap, "-XX:TieredStopAtLevel=1", "-Dautomix.home=" + Path.of("").toAbsolutePath(), "-cp",
                System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd);
    }
}
