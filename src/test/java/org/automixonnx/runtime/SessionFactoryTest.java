package org.automixonnx.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.automixonnx.graphs.ConvLowering;
import org.automixonnx.onnx.DType;
import org.automixonnx.onnx.GraphBuilder;
import org.automixonnx.onnx.Model;
import org.automixonnx.onnx.Ops;
import org.automixonnx.onnx.Shape;
import org.automixonnx.onnx.Tensor;
import org.automixonnx.onnx.Value;
import org.junit.jupiter.api.Test;

/** What a session factory tells graph builders about its device, and the thread pools its sessions run on. */
class SessionFactoryTest {
    @Test
    void cudaTrainsWithOrtsConvAndTheCpuWithTheMeasuredRewrites() {
        assertEquals(ConvLowering.AUTO, SessionFactory.cpu().convLowering());
        assertEquals(ConvLowering.DIRECT, new SessionFactory(Device.parse("cuda:1")).convLowering());
    }

    @Test
    void sessionsWithOneThreadPerCoreShareThePoolAndOthersRunOnTheirOwn() {
        int cores = Runtime.getRuntime().availableProcessors();
        SessionFactory shared = SessionFactory.cpu();
        SessionFactory own = new SessionFactory(Device.CPU, cores + 1, null);
        assertTrue(shared.sharesThreadPool());
        assertFalse(own.sharesThreadPool());
        // two graphs alternating on the shared pool (as AutoMix's two steps do) and one on its own pool
        try (GraphSession first = new GraphSession(scaled(2f), shared);
                GraphSession second = new GraphSession(scaled(3f), shared);
                GraphSession separate = new GraphSession(scaled(5f), own)) {
            Tensor x = Tensor.ofFloats(Shape.of(4), new float[] {1, -2, 3, 0.5f});
            for (int round = 0; round < 3; round++) {
                assertArrayEquals(new float[] {2, -4, 6, 1}, first.run(Map.of("x", x)).get("y").floats());
                assertArrayEquals(new float[] {3, -6, 9, 1.5f}, second.run(Map.of("x", x)).get("y").floats());
                assertArrayEquals(new float[] {5, -10, 15, 2.5f}, separate.run(Map.of("x", x)).get("y").floats());
            }
        }
    }

    /** y = factor * x for x [4]. */
    private static Model scaled(float factor) {
        GraphBuilder b = new GraphBuilder("scaled");
        Value x = b.input("x", DType.FLOAT, Shape.of(4));
        b.output(new Ops(b).mul(x, factor), "y");
        return b.buildModel();
    }
}
