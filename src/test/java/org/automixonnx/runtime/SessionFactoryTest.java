package org.automixonnx.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.automixonnx.graphs.ConvLowering;
import org.junit.jupiter.api.Test;

/** What a session factory tells graph builders about its device (no session is created here). */
class SessionFactoryTest {
    @Test
    void cudaTrainsWithOrtsConvAndTheCpuWithTheMeasuredRewrites() {
        assertEquals(ConvLowering.AUTO, SessionFactory.cpu().convLowering());
        assertEquals(ConvLowering.DIRECT, new SessionFactory(Device.parse("cuda:1")).convLowering());
    }
}
