package org.automixonnx.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.FloatBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.automixonnx.onnx.Shape;
import org.automixonnx.onnx.Tensor;
import org.junit.jupiter.api.Test;

class StateStoreTest {
    private static StateStore sample() {
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("w", Tensor.ofFloats(Shape.of(2, 2), new float[] {1, 2, 3, 4}));
        m.put("steps", Tensor.scalar(7L));
        return StateStore.of(m);
    }

    @Test
    void holdsCopiesInOrderWithLiveFloatViews() {
        StateStore s = sample();
        assertEquals(List.of("w", "steps"), List.copyOf(s.names()));
        FloatBuffer w = s.floats("w");
        assertTrue(w.isDirect());
        w.put(3, 40f);
        assertArrayEquals(new float[] {1, 2, 3, 40}, s.get("w").floats());
        s.put("steps", Tensor.scalar(8L));
        assertEquals(8L, s.get("steps").longs()[0]);
        assertEquals(16 + 8, s.byteSize());
    }

    @Test
    void copyFromChecksNamesTypesAndShapesBeforeCopying() {
        StateStore a = sample();
        StateStore b = sample();
        b.floats("w").put(0, -1f);
        a.copyFrom(b);
        assertEquals(-1f, a.floats("w").get(0));

        Map<String, Tensor> other = new LinkedHashMap<>();
        other.put("w", Tensor.ofFloats(Shape.of(4), new float[] {9, 9, 9, 9}));
        other.put("steps", Tensor.scalar(1L));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> a.copyFrom(StateStore.of(other)));
        assertTrue(e.getMessage().contains("'w'"), e.getMessage());
        assertEquals(-1f, a.floats("w").get(0), "nothing copied on failure");
        assertThrows(IllegalArgumentException.class, () -> a.copyFrom(StateStore.of(Map.of("w", a.get("w")))));
        assertThrows(IllegalArgumentException.class, () -> a.tensor("missing"));
    }
}
