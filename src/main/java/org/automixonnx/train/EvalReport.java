package org.automixonnx.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.automixonnx.mixup.EvalSuiteGraph;
import org.automixonnx.runtime.AtomicFiles;

/**
 * What the evaluation suite found for one state of a run: every classifier's top-1 and the primary classifier's
 * metrics ({@code top1}, {@code top5}, {@code nll}, {@code ece}, {@code fgsm_top1}, {@code fgsm_error},
 * {@code mixed_top1_lam<lam>}, {@code mixed_top2_lam<lam>}; accuracies as fractions) with the calibration bins.
 * {@code primaryMetric} names the classifier the suite ran on; {@code methodPrimary} (JSON {@code deployed}) says
 * whether it is the method's deployed one or another chosen with {@code eval --classifier}.
 * {@code evalSet} says what the {@code testImages} images were ({@link DataSets#TEST_SET}, or
 * {@link DataSets#HELD_OUT_SET} training images under {@code --holdout}). Written as {@code eval.json} and
 * {@code reliability.png} in the run folder (for a checkpoint other than {@code last}: {@code eval-<name>.json},
 * {@code reliability-<name>.png}).
 */
public record EvalReport(String checkpoint, String classifier, String primaryMetric, boolean methodPrimary,
        String evalSet, long testImages, Map<String, Double> classifiers, Map<String, Double> metrics,
        Calibration calibration, EvalSuiteGraph.Settings settings, long mixedPairs, double seconds) {
    public static final String LAST = "last";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public EvalReport {
        classifiers = new LinkedHashMap<>(classifiers);
        metrics = new LinkedHashMap<>(metrics);
    }

    public static String jsonName(String checkpoint) {
        return checkpoint.equals(LAST) ? "eval.json" : "eval-" + checkpoint + ".json";
    }

    public static String pngName(String checkpoint) {
        return checkpoint.equals(LAST) ? "reliability.png" : "reliability-" + checkpoint + ".png";
    }

    /**
     * This report's JSON file name: {@link #jsonName} of its checkpoint, with {@code -<metric>} before the extension
     * when it is not the method's primary classifier ({@code eval --classifier}), so it never replaces eval.json.
     */
    public String jsonFile() {
        return withClassifier(jsonName(checkpoint));
    }

    /** The reliability diagram's file name, as {@link #jsonFile}. */
    public String pngFile() {
        return withClassifier(pngName(checkpoint));
    }

    private String withClassifier(String file) {
        if (methodPrimary) {
            return file;
        }
        int dot = file.lastIndexOf('.');
        return file.substring(0, dot) + "-" + primaryMetric + file.substring(dot);
    }

    /** Writes the JSON report and the reliability diagram into {@code dir}. */
    public void write(Path dir) throws IOException {
        AtomicFiles.writeString(dir.resolve(jsonFile()), JSON.writeValueAsString(toJson()) + "\n");
        ReliabilityDiagram.write(calibration, evalSet, dir.resolve(pngFile()));
    }

    public ObjectNode toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("checkpoint", checkpoint);
        root.put("classifier", classifier);
        root.put("primary_metric", primaryMetric);
        root.put("deployed", methodPrimary);
        root.put("eval_set", evalSet);
        root.put("test_images", testImages);
        root.put("seconds", seconds);
        ObjectNode m = root.putObject("metrics");
        metrics.forEach(m::put);
        ObjectNode cl = root.putObject("classifiers");
        classifiers.forEach(cl::put);
        ObjectNode fgsm = root.putObject("fgsm");
        fgsm.put("epsilon", settings.epsilon());
        fgsm.put("epsilon_255", settings.epsilon() * 255);
        fgsm.put("space", "pixel values in [0, 1], before normalisation");
        ObjectNode mixed = root.putObject("mixed");
        mixed.put("mixing", "x_mix = lam x + (1 - lam) x[perm], pairs of different labels");
        mixed.put("pairs", mixedPairs);
        settings.lams().forEach(mixed.putArray("lams")::add);
        ObjectNode cal = root.putObject("calibration");
        cal.put("bins", calibration.bins());
        ArrayNode count = cal.putArray("count");
        ArrayNode conf = cal.putArray("mean_confidence");
        ArrayNode acc = cal.putArray("accuracy");
        for (int b = 0; b < calibration.bins(); b++) {
            count.add(Math.round(calibration.count()[b]));
            addOrNull(conf, calibration.meanConfidence(b));
            addOrNull(acc, calibration.accuracy(b));
        }
        return root;
    }

    private static void addOrNull(ArrayNode a, double v) {
        if (Double.isNaN(v)) {
            a.addNull();
        } else {
            a.add(v);
        }
    }

    /** The {@code metrics} object of a written report (what {@code compare} tabulates). */
    public static Map<String, Double> readMetrics(Path json) throws IOException {
        if (!Files.isRegularFile(json)) {
            throw new ConfigException("no evaluation report " + json);
        }
        JsonNode m = JSON.readTree(json.toFile()).get("metrics");
        Map<String, Double> out = new LinkedHashMap<>();
        m.properties().forEach(e -> out.put(e.getKey(), e.getValue().isNumber() ? e.getValue().asDouble() : Double.NaN));
        return out;
    }

    /** The console form: every classifier's top-1, then the primary classifier's suite. */
    public void print(PrintWriter out) {
        classifiers.forEach((k, v) -> out.println(String.format(Locale.ROOT, "  %-12s %6.2f%%", k, 100 * v)));
        out.printf(Locale.ROOT, "evaluation suite of %s (%s) on %d %s images, %.1f s:%n", classifier, primaryMetric,
                testImages, evalSet, seconds);
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "  top-1 %.2f%%", pct("top1")));
        if (metrics.containsKey("top5")) {
            line.append(String.format(Locale.ROOT, "  top-5 %.2f%%", pct("top5")));
        }
        line.append(String.format(Locale.ROOT, "  NLL %.4f  ECE %.2f%% (%d bins)", metrics.get("nll"), pct("ece"),
                calibration.bins()));
        out.println(line);
        out.printf(Locale.ROOT, "  FGSM eps %.3g/255: error %.2f%% (clean error %.2f%%)%n", settings.epsilon() * 255,
                pct("fgsm_error"), 100 - pct("top1"));
        StringBuilder mixed = new StringBuilder(String.format(Locale.ROOT, "  mixed samples (%d pairs):", mixedPairs));
        for (double lam : settings.lams()) {
            mixed.append(String.format(Locale.ROOT, "  lam %.2g top-1 %.2f%% top-2 %.2f%%", lam,
                    pct(EvalSuiteGraph.mixedOutput("top1", lam)), pct(EvalSuiteGraph.mixedOutput("top2", lam))));
        }
        out.println(mixed);
        out.flush();
    }

    private double pct(String key) {
        return 100 * metrics.get(key);
    }
}
