package org.automixonnx.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.automixonnx.onnx.Shape;
import org.automixonnx.onnx.Tensor;
import org.junit.jupiter.api.Test;

/** Checkpoint writes on a full disk (an in-memory file system of 256 KiB) fail clearly and lose nothing. */
class DiskFullTest {
    private static FileSystem smallDisk() {
        return Jimfs.newFileSystem(Configuration.unix().toBuilder().setBlockSize(4096).setMaxSize(256 * 1024)
                .build());
    }

    private static Map<String, Tensor> weights(int floats, float value) {
        float[] v = new float[floats];
        java.util.Arrays.fill(v, value);
        return Map.of("w", Tensor.ofFloats(Shape.of(floats), v));
    }

    private static List<String> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aCheckpointThatDoesNotFitFailsNamingTheFileAndKeepsThePreviousOne() throws Exception {
        try (FileSystem fs = smallDisk()) {
            Path run = Files.createDirectories(fs.getPath("/runs/r1"));
            Path last = run.resolve("last.state");
            StateFile.write(last, weights(10_000, 1f), StateFile.newMeta().put("epochs_done", 1));
            byte[] before = Files.readAllBytes(last);

            // 60k floats = 240 KB: the old file (40 KB) and the new temp file do not fit in 256 KiB together
            IOException e = assertThrows(IOException.class,
                    () -> StateFile.write(last, weights(60_000, 2f), StateFile.newMeta().put("epochs_done", 2)));
            assertTrue(e.getMessage().startsWith("cannot write " + last + ": the disk is full"), e.getMessage());
            assertTrue(e.getMessage().contains("previous content"), e.getMessage());
            assertArrayEquals(before, Files.readAllBytes(last), "the previous checkpoint is untouched");
            StateFile kept = StateFile.read(last);
            assertEquals(1, kept.meta().get("epochs_done").asInt());
            assertEquals(1f, kept.tensors().get("w").floats()[9_999]);
            assertEquals(List.of("last.state"), files(run), "no temporary file is left behind");

            // a checkpoint that fits is written after the failure
            StateFile.write(last, weights(20_000, 3f), StateFile.newMeta().put("epochs_done", 2));
            assertEquals(3f, StateFile.read(last).tensors().get("w").floats()[0]);
        }
    }

    @Test
    void smallFilesOnAFullDiskFailTheSameWay() throws Exception {
        try (FileSystem fs = smallDisk()) {
            Path dir = Files.createDirectories(fs.getPath("/runs/r2"));
            Files.write(dir.resolve("ballast"), new byte[250 * 1024]);
            Path status = dir.resolve("status.json");
            IOException e = assertThrows(IOException.class,
                    () -> AtomicFiles.writeString(status, "{\"status\": \"running\"}\n".repeat(1000)));
            assertTrue(e.getMessage().contains(status.toString()) && e.getMessage().contains("the disk is full"),
                    e.getMessage());
            assertEquals(List.of("ballast"), files(dir));
        }
    }
}
