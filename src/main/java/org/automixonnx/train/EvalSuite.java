package org.automixonnx.train;

import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.automixonnx.data.Batch;
import org.automixonnx.data.BatchLoader;
import org.automixonnx.graphs.GraphIo;
import org.automixonnx.graphs.StepGraph;
import org.automixonnx.mixup.Classifier;
import org.automixonnx.mixup.EvalSuiteGraph;
import org.automixonnx.mixup.MixMethod;
import org.automixonnx.mixup.Sampling;
import org.automixonnx.onnx.Shape;
import org.automixonnx.onnx.Tensor;
import org.automixonnx.runtime.DirectTensor;
import org.automixonnx.runtime.EvalRunner;
import org.automixonnx.runtime.SessionFactory;

/**
 * The evaluation suite of a method's primary classifier (the one behind {@link MixMethod#primaryMetric()}) over
 * the test set: top-1/top-5, NLL, ECE with its reliability bins, FGSM error and mixed-sample top-1/top-2, all
 * computed by the {@link EvalSuiteGraph} (one session, one run per test batch). Heavier than the per-epoch
 * evaluation (a backward pass and five forward passes per batch), so it runs once at the end of training and in
 * {@code eval}.
 */
public final class EvalSuite {
    private final SessionFactory sessions;
    private final long[] image;
    private final float[] mean;
    private final float[] std;
    private final String evalSet;
    private final long seed;
    private final EvalSuiteGraph.Settings settings;

    /**
     * @param mean per-channel mean of the test images' normalisation (FGSM steps and clips in pixel space)
     * @param std  per-channel standard deviation of that normalisation
     * @param evalSet what the images evaluated are ({@link DataSets#TEST_SET} or {@link DataSets#HELD_OUT_SET})
     * @param seed draws the mixed-sample partners (fixed per test batch)
     */
    public EvalSuite(SessionFactory sessions, long[] image, float[] mean, float[] std, String evalSet, long seed,
            EvalSuiteGraph.Settings settings) {
        this.sessions = sessions;
        this.image = image.clone();
        this.mean = mean.clone();
        this.std = std.clone();
        this.evalSet = evalSet;
        this.seed = seed;
        this.settings = settings;
    }

    /**
     * The classifier the suite runs on (the method's primary one unless eval --classifier names another) and its
     * correct-count output.
     */
    record Primary(Classifier classifier, String correctOutput) {
        /**
         * The logits output that goes with the correct-count output, by the evaluation graphs' naming rule
         * ({@code correct -> logits}, {@code correct_one -> logits_one}).
         */
        String logitsOutput() {
            return "logits" + correctOutput.substring("correct".length());
        }
    }

    /** The classifier whose top-1 is reported as {@code metric} (one of the method's {@link #metrics}). */
    static Primary reporting(MixMethod method, String metric) {
        for (Classifier c : method.classifiers()) {
            for (Map.Entry<String, String> e : c.correctOutputs().entrySet()) {
                if (e.getValue().equals(metric) && e.getKey().startsWith("correct")) {
                    return new Primary(c, e.getKey());
                }
            }
        }
        throw new ConfigException("method " + method.name() + " has no classifier '" + metric + "'; it has "
                + String.join(", ", metrics(method)));
    }

    /** The names of the method's classifiers as their top-1 is logged (AutoMix: top1_mix_k, ...), sorted. */
    static List<String> metrics(MixMethod method) {
        return method.classifiers().stream().flatMap(c -> c.correctOutputs().entrySet().stream())
                .filter(e -> e.getKey().startsWith("correct")).map(Map.Entry::getValue).sorted().toList();
    }

    /**
     * Runs the suite on the method's current state.
     *
     * @param classifierAccuracy every classifier's top-1 on the same state (what the per-epoch evaluation logs)
     * @param checkpoint         which state this is (recorded in the report)
     */
    public EvalReport run(MixMethod method, BatchLoader test, Map<String, Double> classifierAccuracy,
            String checkpoint) {
        return run(method, method.primaryMetric(), test, classifierAccuracy, checkpoint);
    }

    /** As {@link #run(MixMethod, BatchLoader, Map, String)} for the classifier reported as {@code metric}. */
    public EvalReport run(MixMethod method, String metric, BatchLoader test, Map<String, Double> classifierAccuracy,
            String checkpoint) {
        long t0 = System.nanoTime();
        Primary p = reporting(method, metric);
        int n = test.batchSize();
        StepGraph g = EvalSuiteGraph.build(p.classifier().evalGraph(), p.logitsOutput(), n, image, mean, std, settings);
        List<String> wanted = g.outputs().stream().map(GraphIo::name)
                .filter(o -> !o.equals(EvalSuiteGraph.INPUT_GRADIENT)).toList();
        Map<String, double[]> sums = new LinkedHashMap<>();
        long images = 0;
        try (EvalRunner runner = new EvalRunner(g, sessions)) {
            Map<String, DirectTensor> state = p.classifier().state().get();
            PaddedBatch padded = new PaddedBatch(n, image);
            for (Iterator<Batch> it = test.epoch(0); it.hasNext();) {
                Batch b = it.next();
                padded.fill(b, new SplittableRandom(BatchLoaderSeeds.iteration(seed, b.index())));
                Map<String, Tensor> out = runner.run(state, padded.feeds(), wanted);
                for (String k : wanted) {
                    float[] v = out.get(k).floats();
                    double[] acc = sums.computeIfAbsent(k, key -> new double[v.length]);
                    for (int i = 0; i < acc.length; i++) {
                        acc[i] += v[i];
                    }
                }
                images += b.size();
            }
        }
        return report(p, metric, metric.equals(method.primaryMetric()), sums, images, classifierAccuracy, checkpoint,
                (System.nanoTime() - t0) / 1e9);
    }

    private EvalReport report(Primary p, String primaryMetric, boolean methodPrimary, Map<String, double[]> sums,
            long images, Map<String, Double> classifierAccuracy, String checkpoint, double seconds) {
        Calibration cal = new Calibration(sums.get("bin_count"), sums.get("bin_confidence"), sums.get("bin_correct"));
        double count = Math.max(images, 1);
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("top1", sums.get("top1")[0] / count);
        if (sums.containsKey("top5")) {
            m.put("top5", sums.get("top5")[0] / count);
        }
        m.put("nll", sums.get("loss")[0] / count);
        m.put("ece", cal.ece());
        m.put("fgsm_top1", sums.get("fgsm_top1")[0] / count);
        m.put("fgsm_error", 1 - sums.get("fgsm_top1")[0] / count);
        double pairs = sums.get("mixed_pairs")[0];
        for (double lam : settings.lams()) {
            for (String k : List.of("top1", "top2")) {
                String name = EvalSuiteGraph.mixedOutput(k, lam);
                m.put(name, pairs == 0 ? Double.NaN : sums.get(name)[0] / pairs);
            }
        }
        return new EvalReport(checkpoint, p.classifier().name(), primaryMetric, methodPrimary, evalSet, images,
                classifierAccuracy, m, cal, settings, Math.round(pairs), seconds);
    }

    /**
     * A test batch padded to the suite graph's fixed size: padding images are zeros with weight 0 (BatchNorm runs
     * on running statistics, so they change nobody else's result), partners a random permutation of the real
     * images and themselves for the padding.
     */
    private static final class PaddedBatch {
        private final float[] images;
        private final long[] labels;
        private final float[] weights;
        private final long[] partners;
        private final long[] image;
        private final int perImage;

        PaddedBatch(int n, long[] image) {
            this.image = image;
            this.perImage = (int) (image[0] * image[1] * image[2]);
            this.images = new float[n * perImage];
            this.labels = new long[n];
            this.weights = new float[n];
            this.partners = new long[n];
        }

        void fill(Batch b, SplittableRandom rng) {
            int m = b.size();
            if (m > labels.length || b.images().length != m * perImage) {
                throw new IllegalArgumentException("batch of " + m + " images of " + b.images().length / Math.max(m, 1)
                        + " values does not fit the evaluation suite's " + labels.length + " x " + perImage);
            }
            System.arraycopy(b.images(), 0, images, 0, m * perImage);
            Arrays.fill(images, m * perImage, images.length, 0f);
            System.arraycopy(b.labels(), 0, labels, 0, m);
            Arrays.fill(labels, m, labels.length, 0L);
            Arrays.fill(weights, 0, m, 1f);
            Arrays.fill(weights, m, weights.length, 0f);
            long[] perm = Sampling.permutation(rng, m);
            System.arraycopy(perm, 0, partners, 0, m);
            for (int i = m; i < partners.length; i++) {
                partners[i] = i;
            }
        }

        /** The suite graph's inputs for the batch filled last. */
        Map<String, Tensor> feeds() {
            Map<String, Tensor> m = EvalRunner.labelledImages(images, labels, image);
            m.put(EvalSuiteGraph.WEIGHT, Tensor.ofFloats(Shape.of(weights.length), weights));
            m.put(GraphIo.PERMUTATION, Tensor.ofLongs(Shape.of(partners.length), partners));
            return m;
        }
    }
}
