package org.automixonnx.mixup;

import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import org.automixonnx.data.Batch;
import org.automixonnx.graphs.GraphIo;
import org.automixonnx.runtime.TrainStepRunner;

/** Copies a batch (and permutations) into a step runner's input buffers. */
public final class BatchFeeder {
    private BatchFeeder() {
    }

    public static void images(TrainStepRunner r, String name, Batch b) {
        floats(r, name, b.images());
    }

    public static void floats(TrainStepRunner r, String name, float[] values) {
        FloatBuffer x = r.floatInput(name);
        if (x.remaining() != values.length) {
            throw new IllegalArgumentException(values.length + " values do not fit input '" + name + "' ("
                    + x.remaining() + " values)");
        }
        x.put(values);
    }

    public static void longs(TrainStepRunner r, String name, long[] values) {
        LongBuffer y = r.longInput(name);
        if (y.remaining() != values.length) {
            throw new IllegalArgumentException(values.length + " values do not fit input '" + name + "' ("
                    + y.remaining() + ")");
        }
        y.put(values);
    }

    public static void labels(TrainStepRunner r, Batch b) {
        longs(r, GraphIo.LABELS, b.labels());
    }
}
