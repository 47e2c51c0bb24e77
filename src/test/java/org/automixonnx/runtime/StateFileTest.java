package org.automixonnx.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.automixonnx.onnx.Shape;
import org.automixonnx.onnx.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateFileTest {
    @TempDir
    Path dir;

    private static Map<String, Tensor> sample() {
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("conv1.weight", Tensor.ofFloats(Shape.of(2, 1, 2, 2), new float[] {1, -2, 3.5f, 4, 5, 6, 7, Float.MIN_VALUE}));
        m.put("bn1.num_batches_tracked", Tensor.scalar(42L));
        m.put("empty", Tensor.ofFloats(Shape.of(0), new float[0]));
        m.put("fc.bias", Tensor.ofFloats(Shape.of(3), new float[] {0.25f, -0.5f, 1e-8f}));
        return m;
    }

    @Test
    void roundTripKeepsNamesOrderTypesShapesValuesAndMeta() throws IOException {
        Path f = dir.resolve("run/last.state");
        var meta = StateFile.newMeta().put("architecture", "resnet18-cifar");
        meta.putArray("classes").add("cat").add("dog");
        StateFile.write(f, sample(), meta);
        StateFile back = StateFile.read(f);
        assertEquals(List.copyOf(sample().keySet()), List.copyOf(back.tensors().keySet()));
        sample().forEach((name, t) -> {
            Tensor b = back.tensors().get(name);
            assertEquals(t.dtype(), b.dtype(), name);
            assertEquals(t.shape(), b.shape(), name);
            assertEquals(t.bytes(), b.bytes(), name);
        });
        assertEquals("resnet18-cifar", back.meta().get("architecture").asText());
        assertEquals("dog", back.meta().get("classes").get(1).asText());
    }

    @Test
    void aLiveStateStoreIsWrittenFromItsBuffers() throws IOException {
        Path f = dir.resolve("store.state");
        StateStore store = StateStore.of(sample());
        store.floats("fc.bias").put(0, 9f);
        StateFile.write(f, store, null);
        Map<String, Tensor> back = StateFile.read(f).tensors();
        assertEquals(List.copyOf(store.names()), List.copyOf(back.keySet()));
        assertEquals(9f, back.get("fc.bias").floats()[0]);
        assertEquals(store.get("conv1.weight").bytes(), back.get("conv1.weight").bytes());
    }

    @Test
    void overwriteReplacesTheFileAndLeavesNoTemporaries() throws IOException {
        Path f = dir.resolve("a.state");
        StateFile.write(f, sample(), null);
        StateFile.write(f, Map.of("x", Tensor.scalar(1f)), null);
        assertEquals(List.of("x"), List.copyOf(StateFile.read(f).tensors().keySet()));
        try (var s = Files.list(dir)) {
            assertEquals(List.of(f), s.toList());
        }
    }

    @Test
    void truncatedFileIsRejectedAtEveryLength() throws IOException {
        Path f = dir.resolve("t.state");
        StateFile.write(f, sample(), null);
        byte[] all = Files.readAllBytes(f);
        for (int len : new int[] {0, 10, 25, all.length / 2, all.length - 12, all.length - 1}) {
            Files.write(f, Arrays.copyOf(all, len));
            IOException e = assertThrows(IOException.class, () -> StateFile.read(f), "length " + len);
            assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
        }
    }

    @Test
    void everyFlippedByteIsDetected() throws IOException {
        Path f = dir.resolve("c.state");
        StateFile.write(f, sample(), StateFile.newMeta().put("k", "v"));
        byte[] all = Files.readAllBytes(f);
        for (int i = 0; i < all.length; i++) {
            byte[] bad = all.clone();
            bad[i] ^= 0x10;
            Files.write(f, bad);
            assertThrows(IOException.class, () -> StateFile.read(f), "flipped byte " + i);
        }
    }

    @Test
    void messagesSayWhatIsWrong() throws IOException {
        Path f = dir.resolve("m.state");
        Files.writeString(f, "this is not a state file at all");
        assertTrue(assertThrows(IOException.class, () -> StateFile.read(f)).getMessage().contains("not a state file"));
        StateFile.write(f, sample(), null);
        byte[] all = Files.readAllBytes(f);
        Files.write(f, Arrays.copyOf(all, all.length - 5));
        assertTrue(assertThrows(IOException.class, () -> StateFile.read(f)).getMessage().contains("truncated"));
        all[all.length - 20] ^= 1;
        Files.write(f, all);
        String m = assertThrows(IOException.class, () -> StateFile.read(f)).getMessage();
        assertTrue(m.contains("checksum"), m);
    }
}
