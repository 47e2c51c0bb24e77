package org.automixonnx.runtime;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.providers.OrtCUDAProviderOptions;
import java.nio.file.Path;
import org.automixonnx.graphs.ConvLowering;

/**
 * Creates ORT sessions with the options automix-onnx runs every graph under: full graph optimisation
 * (the Transpose->FusedMatMul fusion needs at least EXTENDED), sequential execution, intra-op threads =
 * cores, one inter-op thread, no memory pattern, and the chosen execution provider.
 *
 * <p>The memory pattern (ORT's default) reserves one block per session sized by the planner's worst case and
 * keeps it: a training graph's block held about twice the activations its run needed at once, and AutoMix
 * keeps two sessions (bench, batch 100: resnet18-cifar-w0.25 AutoMix 1.19 -> 0.69 GB peak RSS, its vanilla
 * step 0.55 -> 0.36 GB, resnet18-cifar AutoMix 6.6 -> 3.7 GB). Without it the arena hands out each tensor as
 * the run needs it, at no measurable cost in step time (0.61 against 0.63 s for that AutoMix iteration).
 */
public final class SessionFactory {
    private final Device device;
    private final int threads;
    private final Path profileDir;

    public SessionFactory(Device device, int threads, Path profileDir) {
        this.device = device;
        this.threads = threads <= 0 ? Runtime.getRuntime().availableProcessors() : threads;
        this.profileDir = profileDir;
    }

    public SessionFactory(Device device) {
        this(device, 0, null);
    }

    public static SessionFactory cpu() {
        return new SessionFactory(Device.CPU);
    }

    public Device device() {
        return device;
    }

    /**
     * How training graphs for this device write their convs: the CPU rewrites measured on ORT's CPU kernels,
     * ORT's Conv (cuDNN) on CUDA.
     */
    public ConvLowering convLowering() {
        return device.kind() == Device.Kind.CUDA ? ConvLowering.DIRECT : ConvLowering.AUTO;
    }

    public int threads() {
        return threads;
    }

    public boolean profiling() {
        return profileDir != null;
    }

    public static OrtEnvironment env() {
        return OrtEnvironment.getEnvironment();
    }

    public OrtSession create(byte[] model) throws OrtException {
        return create(model, "ort_profile");
    }

    /** @param label names the session's profile file (label_DATE.json) when profiling is on, e.g. the graph name */
    public OrtSession create(byte[] model, String label) throws OrtException {
        try (OrtSession.SessionOptions opts = options(label)) {
            return env().createSession(model, opts);
        }
    }

    OrtSession.SessionOptions options(String label) throws OrtException {
        OrtSession.SessionOptions o = new OrtSession.SessionOptions();
        o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        o.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
        o.setIntraOpNumThreads(threads);
        o.setInterOpNumThreads(1);
        o.setMemoryPatternOptimization(false);
        if (profileDir != null) {
            try {
                java.nio.file.Files.createDirectories(profileDir);
            } catch (java.io.IOException e) {
                throw new IllegalStateException("cannot create profile folder " + profileDir + ": " + e.getMessage(), e);
            }
            o.enableProfiling(profileDir.resolve(label.replaceAll("[^A-Za-z0-9_.-]", "_")).toString());
        }
        if (device.kind() == Device.Kind.CUDA) {
            addCuda(o);
        }
        return o;
    }

    private void addCuda(OrtSession.SessionOptions o) throws OrtException {
        try (OrtCUDAProviderOptions cuda = new OrtCUDAProviderOptions(device.id())) {
            o.addCUDA(cuda);
        } catch (OrtException | UnsatisfiedLinkError | NoClassDefFoundError e) {
            throw new IllegalStateException("CUDA execution provider is not available (" + e.getMessage()
                    + "). Build with the GPU runtime: mvn -Pcuda package, and check the CUDA/cuDNN installation.", e);
        }
    }
}
