package org.automixonnx.train;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import org.automixonnx.mixup.MethodNeed;
import org.automixonnx.mixup.MixMethod;
import org.automixonnx.onnx.Tensor;
import org.automixonnx.runtime.CheckpointMeta;
import org.automixonnx.runtime.StateFile;
import org.automixonnx.runtime.StateStore;

/**
 * A run's checkpoints: {@code last.state} after every epoch and {@code best.state} when the method's primary
 * accuracy improves, both {@link StateFile}s (magic + version header, checksums, atomic write) holding the
 * union of the method's state groups and, as metadata, what {@code export}/{@code eval} need to rebuild the
 * model and what {@code --resume} needs to continue exactly: completed epochs, the config's hash, the best
 * accuracy so far.
 */
public final class Checkpoints {
    public static final String LAST = CheckpointMeta.LAST_FILE;
    public static final String BEST = CheckpointMeta.BEST_FILE;

    /** The kept copy after {@code epochsDone} epochs ({@code checkpointEvery}): epoch-005.state. */
    public static String epochFile(int epochsDone) {
        return String.format(java.util.Locale.ROOT, "epoch-%03d.state", epochsDone);
    }

    private final RunFolder run;
    private final TrainConfig config;
    private final DataSets.Loaded data;

    public Checkpoints(RunFolder run, TrainConfig config, DataSets.Loaded data) {
        this.run = run;
        this.config = config;
        this.data = data;
    }

    /** SHA-256 of the resolved config minus the epoch count (a resumed run may be extended). */
    public static String configHash(TrainConfig c) {
        TrainConfig copy = c.copy();
        copy.epochs = 0;
        copy.progress = true;
        copy.checkpointIterations = null;
        copy.checkpointEvery = null;
        copy.nanPolicy = null;
        copy.profile = null;
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(copy.toYaml().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public void save(String fileName, MixMethod method, int epochsDone, double best, Map<String, Double> accuracy)
            throws IOException {
        save(fileName, method, epochsDone, best, accuracy, null);
    }

    /**
     * Writes a checkpoint; {@code position} (null = the start of epoch {@code epochsDone}) is where training
     * continues from it. Refuses to write a state holding NaN or Inf, so the last good checkpoint survives a
     * divergence.
     */
    public void save(String fileName, MixMethod method, int epochsDone, double best, Map<String, Double> accuracy,
            TrainPosition position) throws IOException {
        String bad = nonFiniteTensor(method);
        if (bad != null) {
            throw new DivergenceException("state tensor '" + bad + "' holds NaN or Inf; not overwriting " + fileName
                    + " (the last good checkpoint is kept)");
        }
        ObjectNode meta = meta(method, epochsDone, best, accuracy, position).toJson();
        Map<String, StateStore> groups = method.state();
        java.util.LinkedHashMap<String, Tensor> all = new java.util.LinkedHashMap<>();
        for (StateStore s : groups.values()) {
            // direct buffers -> heap copies only for the file write; a few MB for the default model
            all.putAll(s.toTensors());
        }
        StateFile.write(run.resolve(fileName), all, meta);
    }

    private CheckpointMeta meta(MixMethod method, int epochsDone, double best, Map<String, Double> accuracy,
            TrainPosition position) {
        // a method that trains two heads (head_one, head_mix) says so; export rebuilds the network with them
        boolean twoHeads = RunMethod.spec(method.name()).has(MethodNeed.TWO_HEADS);
        // a model file is relative to the run folder: the run's own copy (ModelSource.RUN_COPY)
        CheckpointMeta.Architecture architecture = config.modelFile == null
                ? new CheckpointMeta.Architecture(config.model, null, null, twoHeads)
                : new CheckpointMeta.Architecture(null, config.modelFile, config.featureTap, twoHeads);
        long[] shape = data.inputShape();
        CheckpointMeta.Data images = new CheckpointMeta.Data(data.name(), Math.toIntExact(shape[0]),
                Math.toIntExact(shape[1]), Math.toIntExact(shape[2]), data.train().numClasses(),
                data.train().classNames(), CheckpointMeta.Data.decimals(data.mean()),
                CheckpointMeta.Data.decimals(data.std()), data.train().size());
        TrainPosition at = position != null ? position : TrainPosition.startOf(epochsDone, best);
        CheckpointMeta.Training training = new CheckpointMeta.Training(method.name(), epochsDone, configHash(config),
                Map.of(method.primaryMetric(), best), accuracy, at.toJson());
        return new CheckpointMeta(architecture, images, training);
    }

    /** The first float state tensor holding a NaN or Inf, or null when all are finite. */
    public static String nonFiniteTensor(MixMethod method) {
        for (StateStore s : method.state().values()) {
            for (org.automixonnx.runtime.DirectTensor t : s.tensors()) {
                if (t.dtype() != org.automixonnx.onnx.DType.FLOAT) {
                    continue;
                }
                java.nio.FloatBuffer f = t.floats();
                for (int i = 0, n = f.limit(); i < n; i++) {
                    if (!Float.isFinite(f.get(i))) {
                        return t.name();
                    }
                }
            }
        }
        return null;
    }

    /** What a resumed run continues from: the completed epochs, the best accuracy and the exact position. */
    public record Resume(int epochsDone, double best, StateFile state, TrainPosition position) {
    }

    /** Whether the run has a last.state to resume from. */
    public boolean hasLast() {
        return Files.isRegularFile(run.resolve(LAST));
    }

    /**
     * Reads last.state and checks that it continues this run, before anything is built or written: it was written
     * with this config (its hash), on this data ({@link DataMatch}), and the config has at least the epochs it
     * began (a resume never shortens a run below what it trained).
     */
    public StateFile readLast() throws IOException {
        Path file = run.resolve(LAST);
        if (!Files.isRegularFile(file)) {
            throw new ConfigException("cannot resume: " + run.dir() + " has no " + LAST
                    + " (the run stopped before its first epoch ended; start it again with --force)");
        }
        StateFile f = StateFile.read(file);
        CheckpointMeta meta = CheckpointMeta.fromJson(f.meta(), file);
        if (!configHash(config).equals(meta.training().configSha256())) {
            throw new ConfigException("cannot resume: " + file + " was written with a different configuration than "
                    + run.resolve(RunFolder.CONFIG));
        }
        TrainPosition at = TrainPosition.fromMeta(meta, "");
        int begun = at.epoch() + (at.batch() > 0 ? 1 : 0);
        if (config.epochs < begun) {
            throw new ConfigException("cannot resume: epochs " + config.epochs + " is fewer than the " + begun
                    + " epochs " + run.dir() + " has already begun; --epochs may be " + begun + " or more");
        }
        DataMatch.check(meta, data, file, DataSets.folder(config));
        return f;
    }

    /** Writes the tensors of {@code f}, last.state as {@link #readLast} checked it, into the method's state. */
    public Resume restore(MixMethod method, StateFile f) {
        Path file = run.resolve(LAST);
        CheckpointMeta meta = CheckpointMeta.fromJson(f.meta(), file);
        for (StateStore s : method.state().values()) {
            for (String name : s.names()) {
                Tensor t = f.tensors().get(name);
                if (t == null) {
                    throw new ConfigException("cannot resume: " + file + " has no tensor '" + name + "'");
                }
                s.put(name, t);
            }
        }
        return new Resume(meta.training().epochsDone(), meta.training().best().getOrDefault(method.primaryMetric(), -1.0),
                f, TrainPosition.fromMeta(meta, method.primaryMetric()));
    }
}
