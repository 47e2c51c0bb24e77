package org.automixonnx.train;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.automixonnx.mixup.MethodRegistry;
import org.automixonnx.runtime.AtomicFiles;

/**
 * Trains every method x seed with one configuration (only the method and the seed change) and tabulates the
 * evaluation suite of each run's final state: {@code compare.csv} (one row per run) and {@code compare.md}
 * (mean +- standard deviation over seeds per method, like the AutoMix paper's Table 1). Methods are names of
 * the method registry ({@link MethodRegistry}); every name is checked before the first run starts.
 */
public final class CompareService {
    public static final String TABLE = "compare.md";
    public static final String CSV = "compare.csv";
    /** Table columns: eval.json metric -> heading; accuracies are shown in percent. */
    static final Map<String, String> COLUMNS = columns();
    /** The last column of compare.csv: the run's training time in seconds ({@link Run#trainSeconds}). */
    public static final String TRAIN_SECONDS = "train_s";

    private final PrintWriter out;

    public CompareService(PrintWriter out) {
        this.out = out;
    }

    private static Map<String, String> columns() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("top1", "top-1 (%)");
        m.put("ece", "ECE (%)");
        m.put("fgsm_error", "FGSM error (%)");
        return m;
    }

    /** One training run of the comparison, its suite metrics and its training time (the epochs' wall times). */
    public record Run(String method, long seed, Path dir, Map<String, Double> metrics, double trainSeconds) {
    }

    /** The folder of one run: {@code <method>-seed<seed>}. */
    public static Path runDir(Path outDir, String method, long seed) {
        return outDir.resolve(method + "-seed" + seed);
    }

    /**
     * Trains {@code seeds} runs (seeds {@code base.seed}, {@code base.seed + 1}, ...) of each method in
     * {@code methods} under {@code outDir} and writes the table and the CSV there.
     */
    public List<Run> compare(TrainConfig base, List<String> methods, int seeds, Path outDir, boolean force)
            throws IOException {
        return compare(base, methods, seeds, outDir, force, List.of());
    }

    /** As above; {@code force} never deletes {@code otherInputs} (e.g. the config file), the data or model file. */
    public List<Run> compare(TrainConfig base, List<String> methods, int seeds, Path outDir, boolean force,
            List<ForceReplace.Input> otherInputs) throws IOException {
        List<TrainConfig> configs = plan(base, methods, seeds, outDir, force, otherInputs);
        List<Run> runs = new ArrayList<>();
        for (TrainConfig c : configs) {
            Path dir = runDir(outDir, c.method, c.seed);
            new TrainService(out).train(c, dir, force, otherInputs);
            runs.add(finishedRun(c, dir));
        }
        return tabulate(base, runs, seeds, outDir);
    }

    /**
     * Continues an interrupted comparison in {@code outDir} (the same methods, seeds and configuration as the
     * command that started it): finished runs are kept, an interrupted run resumes from its last checkpoint (or
     * starts again if it never wrote one), the runs not started yet are trained; the table and the CSV are then
     * those of the uninterrupted comparison. A run folder whose saved config differs from this comparison's is
     * refused before anything is trained.
     */
    public List<Run> resume(TrainConfig base, List<String> methods, int seeds, Path outDir,
            List<ForceReplace.Input> otherInputs) throws IOException {
        // every run folder is judged before anything is trained: a mismatched one refuses the whole resume
        Map<Path, String> savedStatus = new LinkedHashMap<>(); // by run folder; absent: not started
        List<TrainConfig> configs = plannedConfigs(base, methods, seeds);
        for (TrainConfig c : configs) {
            Path dir = runDir(outDir, c.method, c.seed);
            if (!Files.isRegularFile(dir.resolve(RunFolder.CONFIG))) {
                RunFolder.checkNew(dir, false, TrainService.inputs(c, otherInputs));
                continue;
            }
            RunFolder run = RunFolder.existing(dir);
            TrainConfig planned = c.copy();
            planned.profile = null; // as RunFolder.writeConfig saves it
            // a run saved before data paths were saved absolute compares as the comparison then resolved it
            // another method's options section does not make a run different (withOwnOptionsOnly)
            if (!DataSets.anchored(run.readConfig()).withOwnOptionsOnly().toYaml().equals(planned.toYaml())) {
                throw new ConfigException("--resume: " + dir + " was trained with another configuration than this"
                        + " comparison's (its " + RunFolder.CONFIG + " differs); give the options the comparison was"
                        + " started with");
            }
            savedStatus.put(dir, String.valueOf(run.readStatus()));
        }
        List<Run> runs = new ArrayList<>();
        for (TrainConfig c : configs) {
            Path dir = runDir(outDir, c.method, c.seed);
            String status = savedStatus.get(dir);
            if (status == null) {
                new TrainService(out).train(c, dir, false, otherInputs);
            } else if (status.equals(RunFolder.FINISHED)) {
                out.println("kept finished run " + dir);
            } else {
                out.println("resuming " + dir);
                new TrainService(out).resume(dir, Map.of());
            }
            runs.add(finishedRun(c, dir));
        }
        return tabulate(base, runs, seeds, outDir);
    }

    private static Run finishedRun(TrainConfig c, Path dir) throws IOException {
        return new Run(c.method, c.seed, dir, EvalReport.readMetrics(dir.resolve(EvalReport.jsonName(EvalReport.LAST))),
                MetricsLog.trainingSeconds(dir));
    }

    private List<Run> tabulate(TrainConfig base, List<Run> runs, int seeds, Path outDir) throws IOException {
        Files.createDirectories(outDir);
        AtomicFiles.writeString(outDir.resolve(CSV), csv(runs));
        String table = table(base, runs, seeds);
        AtomicFiles.writeString(outDir.resolve(TABLE), table);
        out.println();
        out.print(table);
        out.flush();
        return runs;
    }

    /**
     * Every run's config, checked (names, values, free folders or, with {@code force}, folders --force may replace)
     * before anything is trained.
     */
    static List<TrainConfig> plan(TrainConfig base, List<String> methods, int seeds, Path outDir, boolean force,
            List<ForceReplace.Input> otherInputs) throws IOException {
        List<ForceReplace.Input> inputs = TrainService.inputs(base, otherInputs);
        if (force) {
            ForceReplace.checkParentFolder(outDir, inputs);
        }
        List<TrainConfig> configs = plannedConfigs(base, methods, seeds);
        for (TrainConfig c : configs) {
            RunFolder.checkNew(runDir(outDir, c.method, c.seed), force, inputs);
        }
        return configs;
    }

    /** Every run's config, methods checked and values validated: only the method and the seed differ. */
    private static List<TrainConfig> plannedConfigs(TrainConfig base, List<String> methods, int seeds) {
        if (methods.isEmpty()) {
            throw new ConfigException("--methods names no method; known: "
                    + String.join(", ", MethodRegistry.standard().names()));
        }
        if (seeds < 1) {
            throw new ConfigException("--seeds must be >= 1 (got " + seeds + ")");
        }
        Set<String> seen = new HashSet<>();
        for (String m : methods) {
            RunMethod.spec(m);
            if (!seen.add(m)) {
                throw new ConfigException("method '" + m + "' is listed twice");
            }
        }
        List<TrainConfig> configs = new ArrayList<>();
        for (String m : methods) {
            for (int s = 0; s < seeds; s++) {
                configs.add(DataSets.anchored(base.with(Map.of("method", m, "seed", base.seed + s)))
                        .withOwnOptionsOnly().validate());
            }
        }
        return configs;
    }

    static String csv(List<Run> runs) {
        Set<String> keys = new LinkedHashSet<>();
        runs.forEach(r -> keys.addAll(r.metrics().keySet()));
        StringBuilder sb = new StringBuilder("method,seed,run");
        keys.forEach(k -> sb.append(',').append(k));
        sb.append(',').append(TRAIN_SECONDS).append('\n');
        for (Run r : runs) {
            sb.append(r.method()).append(',').append(r.seed()).append(',').append(r.dir().getFileName());
            for (String k : keys) {
                Double v = r.metrics().get(k);
                sb.append(',').append(v == null || v.isNaN() ? "" : Double.toString(v));
            }
            sb.append(String.format(Locale.ROOT, ",%.1f", r.trainSeconds())).append('\n');
        }
        return sb.toString();
    }

    static String table(TrainConfig base, List<Run> runs, int seeds) {
        StringBuilder sb = new StringBuilder("# Method comparison\n\n");
        sb.append(String.format(Locale.ROOT, "%s on %s, %d epochs, batch %d, lr %s, %d seed%s from %d%s.%n%n",
                base.model, base.dataset, base.epochs, base.batchSize, base.lr, seeds, seeds == 1 ? "" : "s", base.seed,
                limits(base)));
        sb.append("| method | runs |");
        COLUMNS.values().forEach(h -> sb.append(' ').append(h).append(" |"));
        sb.append(" train time (min) |\n|---|---|");
        COLUMNS.keySet().forEach(k -> sb.append("---|"));
        sb.append("---|");
        sb.append('\n');
        Map<String, List<Run>> byMethod = new LinkedHashMap<>();
        runs.forEach(r -> byMethod.computeIfAbsent(r.method(), k -> new ArrayList<>()).add(r));
        byMethod.forEach((method, rs) -> {
            sb.append("| ").append(method).append(" | ").append(rs.size()).append(" |");
            for (String k : COLUMNS.keySet()) {
                double[] v = rs.stream().mapToDouble(r -> 100 * r.metrics().getOrDefault(k, Double.NaN)).toArray();
                sb.append(String.format(Locale.ROOT, " %.2f ± %.2f |", mean(v), std(v)));
            }
            double[] minutes = rs.stream().mapToDouble(r -> r.trainSeconds() / 60).toArray();
            sb.append(String.format(Locale.ROOT, " %.1f ± %.1f |", mean(minutes), std(minutes)));
            sb.append('\n');
        });
        sb.append("\nMean ± sample standard deviation (n - 1; 0 for one seed) over seeds of each run's final state, ")
                .append("primary classifier (AutoMix: the EMA teacher's one-hot head). ECE: 15 equal-width ")
                .append("confidence bins. FGSM: eps 8/255 in pixel space. Train time: the sum of the run's epoch wall ")
                .append("times (training and per-epoch evaluation). Per-run values: ").append(CSV).append(".\n");
        return sb.toString();
    }

    private static String limits(TrainConfig c) {
        List<String> l = new ArrayList<>();
        if (c.trainLimit > 0) {
            l.add("first " + c.trainLimit + " training images");
        }
        if (c.holdout > 0) {
            l.add("evaluated on the last " + c.holdout + " of " + (c.trainLimit > 0 ? "them" : "the training images")
                    + ", held out from training (not the test set)");
        }
        if (c.testLimit > 0) {
            l.add("first " + c.testLimit + (c.holdout > 0 ? " held-out" : " test") + " images");
        }
        return l.isEmpty() ? "" : ", " + String.join(", ", l);
    }

    static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }

    /** Sample standard deviation (n - 1 in the denominator); 0 for a single value. */
    static double std(double[] v) {
        if (v.length < 2) {
            return 0;
        }
        double m = mean(v);
        double s = 0;
        for (double x : v) {
            s += (x - m) * (x - m);
        }
        return Math.sqrt(s / (v.length - 1));
    }
}
