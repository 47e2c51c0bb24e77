package org.automixonnx.testing;

import java.util.Arrays;
import org.automixonnx.graphs.Network;
import org.automixonnx.graphs.StepForm;
import org.automixonnx.mixup.MethodContext;
import org.automixonnx.mixup.MethodOptions;
import org.automixonnx.mixup.SgdHyper;
import org.automixonnx.runtime.SessionFactory;

/** Method contexts for tests: CPU sessions, plain SGD, unit std, a one-iteration run, no feature tap, fused steps. */
public final class MethodContexts {
    private MethodContexts() {
    }

    /** @param options the method's own section, or null */
    public static MethodContext of(Network network, long[] image, int batch, long seed, SgdHyper hyper, double alpha,
            MethodOptions options) {
        float[] std = new float[(int) image[0]];
        Arrays.fill(std, 1f);
        return new MethodContext(network, image, batch, seed, false, hyper, SessionFactory.cpu(), std, 1, alpha, null,
                options, StepForm.FUSED);
    }
}
