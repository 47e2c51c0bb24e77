package org.automixonnx.runtime;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.providers.OrtCUDAProviderOptions;
import java.nio.file.Path;
import org.automixonnx.graphs.ConvLowering;

/**
 * Creates ORT sessions with the options automix-onnx runs every graph under: full graph optimisation
 * (the Transpose->FusedMatMul fusion needs at least EXTENDED), sequential execution, intra-op threads =
 * cores, one inter-op thread, no memory pattern, and the chosen execution provider.
 *
 * <p>Sessions with one intra-op thread per core share the environment's global thread pool instead of each
 * starting its own. A method that alternates graphs (AutoMix: the MixBlock step, then the student step) otherwise
 * has a second pool's workers still spinning for work on the cores while the next graph starts: the first convs
 * of each step ran at half speed (bench --profile: 5-7 against 3.3 ms), and the whole AutoMix iteration of
 * resnet18-cifar-w0.25 at 28 px takes 0.52-0.68 s with the shared pool against 0.57-0.77 s with one pool per
 * session (three alternating pairs, about 10% less).
 *
 * <p>The memory pattern (ORT's default) reserves one block per session sized by the planner's worst case and
 * keeps it: a training graph's block held about twice the activations its run needed at once, and AutoMix
 * keeps two sessions (bench, batch 100: resnet18-cifar-w0.25 AutoMix 1.19 -> 0.69 GB peak RSS, its vanilla
 * step 0.55 -> 0.36 GB, resnet18-cifar AutoMix 6.6 -> 3.7 GB). Without it the arena hands out each tensor as
 * the run needs it, at no measurable cost in step time (0.61 against 0.63 s for that AutoMix iteration).
 */
public final class SessionFactory {
    /**
     * The most intra-op threads a session may have: more are never faster (the pool's threads take turns on the
     * cores) and thousands exhaust the machine (--threads 100000 had taken 16 GB when it was stopped).
     */
    public static final int MAX_THREADS = 256;
    private final Device device;
    private final int threads;
    private final Path profileDir;
    private final GraphRunTimes runTimes = new GraphRunTimes();

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

    /** Time spent in the runs of this factory's step graphs, by graph. */
    public GraphRunTimes runTimes() {
        return runTimes;
    }

    /** Whether this factory's sessions run on the environment's shared thread pool (one thread per core). */
    public boolean sharesThreadPool() {
        return SharedEnvironment.sharesPoolOf(threads);
    }

    public boolean profiling() {
        return profileDir != null;
    }

    public static OrtEnvironment env() {
        return SharedEnvironment.ENV;
    }

    /**
     * The process's ORT environment, created on first use with a global intra-op pool of one thread per core
     * (ORT takes threading options only when it creates the environment). If something created the environment
     * before this class could, sessions keep pools of their own.
     */
    private static final class SharedEnvironment {
        static final int POOL_THREADS = Runtime.getRuntime().availableProcessors();
        static final OrtEnvironment ENV;
        static final boolean HAS_POOL;

        static {
            OrtEnvironment env;
            boolean pool;
            try (OrtEnvironment.ThreadingOptions t = new OrtEnvironment.ThreadingOptions()) {
                t.setGlobalIntraOpNumThreads(POOL_THREADS);
                t.setGlobalInterOpNumThreads(1);
                env = OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_WARNING,
                        OrtEnvironment.DEFAULT_NAME, t);
                pool = true;
            } catch (OrtException | IllegalStateException e) {
                env = OrtEnvironment.getEnvironment();
                pool = false;
            }
            ENV = env;
            HAS_POOL = pool;
        }

        static boolean sharesPoolOf(int threads) {
            return HAS_POOL && threads == POOL_THREADS;
        }
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
        if (sharesThreadPool()) {
            o.disablePerSessionThreads();
        } else {
            o.setIntraOpNumThreads(threads);
            o.setInterOpNumThreads(1);
        }
        o.setMemoryPatternOptimization(false);
        if (profileDir != null) {
            try {
                java.nio.file.Files.createDirectories(profileDir);
            } catch (java.io.IOException e) {
                throw new IllegalStateException("cannot create profile folder " + profileDir + ": " + FileErrors.reason(e),
                        e);
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
