package org.automixonnx.mixup;

import java.util.LinkedHashMap;
import java.util.Map;
import org.automixonnx.runtime.DirectTensor;
import org.automixonnx.runtime.StateStore;

/** Helpers to hand a state store to an evaluation graph. */
public final class Evaluations {
    private Evaluations() {
    }

    /** The store's buffers under their own names. */
    public static Map<String, DirectTensor> byName(StateStore s) {
        Map<String, DirectTensor> m = new LinkedHashMap<>();
        for (DirectTensor t : s.tensors()) {
            m.put(t.name(), t);
        }
        return m;
    }

    /** The buffers whose names start with {@code prefix}, under their names without it (teacher.x -> x). */
    public static Map<String, DirectTensor> stripped(StateStore s, String prefix) {
        Map<String, DirectTensor> m = new LinkedHashMap<>();
        for (DirectTensor t : s.tensors()) {
            if (t.name().startsWith(prefix)) {
                m.put(t.name().substring(prefix.length()), t);
            }
        }
        return m;
    }
}
