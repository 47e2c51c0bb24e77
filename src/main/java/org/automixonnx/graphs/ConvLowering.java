package org.automixonnx.graphs;

/** How a training graph writes its 2-D convolutions in standard ops (the choice is per conv, by shape). */
public enum ConvLowering {
    /**
     * The measured fastest on ORT CPU: Winograd F(2x2, 3x3) for wide stride-1 3x3 convs, one GEMM over the
     * batch for the other few-position convs, a tap-matrix product for few-position depthwise convs
     * ({@link TapMatrixDepthwiseConv}), ORT's Conv otherwise.
     */
    AUTO,
    /**
     * As {@link #AUTO}, but Winograd for every conv it can compute whatever its width: lets a small test model
     * check the formulation against a reference.
     */
    WINOGRAD_ANY_WIDTH,
    /**
     * ORT's Conv everywhere: for CUDA, where cuDNN picks its own algorithms (Winograd and implicit GEMM
     * among them) and the CPU rewrites would only add their im2col and transposes.
     */
    DIRECT
}
