package org.automixonnx.mixup;

import java.util.List;
import java.util.Locale;
import org.automixonnx.graphs.GraphIo;
import org.automixonnx.graphs.Metrics;
import org.automixonnx.graphs.Role;
import org.automixonnx.graphs.StepGraph;
import org.automixonnx.onnx.DType;
import org.automixonnx.onnx.Ops;
import org.automixonnx.onnx.Shape;
import org.automixonnx.onnx.Tensor;
import org.automixonnx.onnx.Value;

/**
 * The evaluation suite of one classifier as one graph ({@code eval_suite}), built around the classifier's own
 * evaluation graph, which it applies (via {@link GraphReplay}) to the clean, the adversarial and the mixed
 * images of a batch of a fixed size. Every output is a sum over the batch weighted by the input {@code weight}
 * (1 for a test image, 0 for the padding of a last partial batch), so Java only adds the batches up.
 *
 * <p>Inputs: {@code x} [n, C, H, W] normalised images, {@code y} int64 [n], {@code weight} float [n],
 * {@code perm} int64 [n] (each image's partner for the mixed samples) and the state inputs of the evaluation
 * graph. Outputs:
 * <ul>
 * <li>{@code loss}: {@code sum_i w_i CE_i}, its input gradient {@code grad_x} (from our autodiff; BatchNorm uses
 * running statistics, so each image's gradient is its own), {@code top1}, {@code top5} (with more than 5
 * classes) and, per confidence bin, {@code bin_count}, {@code bin_confidence}, {@code bin_correct} [bins]
 * (confidence = the largest softmax probability; ECE = sum_b |bin_correct_b - bin_confidence_b| / n);</li>
 * <li>FGSM (Goodfellow et al.) in pixel space: {@code x_adv = clip(x + eps sign(grad_x), 0, 1)} on the pixel
 * scale, i.e. a step of {@code eps / std_c} and clipping to {@code [(0 - mean_c) / std_c, (1 - mean_c) / std_c]}
 * on the normalised images; {@code fgsm_top1} counts the adversarial images still classified correctly;</li>
 * <li>mixed samples (the AutoMix paper's Fig. 4, right), for each lam of the settings: {@code x_mix = lam x +
 * (1 - lam) x[perm]} (MixUp's mixing, the same for every method so methods compare on the same samples);
 * {@code mixed_top1_lam<lam>} counts predictions equal to y_a = y (the label of the image weighted lam >= 0.5),
 * {@code mixed_top2_lam<lam>} counts pairs whose two largest logits are exactly {y_a, y_b = y[perm]};
 * {@code mixed_pairs} is the number of pairs counted: pairs of equal labels are left out, as top-2 cannot
 * name two classes for them.</li>
 * </ul>
 */
public final class EvalSuiteGraph {
    /** The input with each image's weight [n]: 1 for a test image, 0 for padding. */
    public static final String WEIGHT = "weight";
    /** The output with the loss's gradient with respect to the images (what FGSM steps along). */
    public static final String INPUT_GRADIENT = "grad_x";

    /** FGSM step in pixel units, confidence bins, mixing ratios of the mixed-sample accuracy. */
    public record Settings(double epsilon, int bins, List<Double> lams) {
        public Settings {
            if (epsilon < 0 || bins < 1 || lams.stream().anyMatch(l -> l < 0.5 || l > 1)) {
                throw new IllegalArgumentException("eval suite needs epsilon >= 0, bins >= 1, lam in [0.5, 1]; got "
                        + epsilon + ", " + bins + ", " + lams);
            }
            lams = List.copyOf(lams);
        }

        /** 8/255 FGSM, 15 bins (as in Guo et al.), lam 0.5, 0.7, 0.9. */
        public static Settings defaults() {
            return new Settings(8.0 / 255, 15, List.of(0.5, 0.7, 0.9));
        }
    }

    private EvalSuiteGraph() {
    }

    /** Output name of a mixed-sample count at {@code lam}, e.g. {@code mixed_top2_lam0.5}. */
    public static String mixedOutput(String metric, double lam) {
        return String.format(Locale.ROOT, "mixed_%s_lam%s", metric, trim(lam));
    }

    private static String trim(double lam) {
        String s = String.format(Locale.ROOT, "%.4f", lam);
        return s.replaceAll("0+$", "").replaceAll("\\.$", ".0");
    }

    /**
     * @param eval   the classifier's evaluation graph (inputs {@code x}, {@code y}, state; any batch size)
     * @param logits which of its outputs are the classifier's logits
     * @param batch  the fixed batch size n
     * @param mean   per-channel mean of the normalisation (pixel values in [0, 1])
     * @param std    per-channel standard deviation of the normalisation
     */
    public static StepGraph build(StepGraph eval, String logits, int batch, long[] image, float[] mean, float[] std,
            Settings settings) {
        int channels = (int) image[0];
        if (mean.length != channels || std.length != channels) {
            throw new IllegalArgumentException("normalisation has " + mean.length + " means and " + std.length
                    + " stds for " + channels + " channels");
        }
        ClassifierReplay g = new ClassifierReplay("eval_suite", eval, logits);
        Ops o = g.ops();
        Value x = g.data(GraphIo.IMAGES, DType.FLOAT, Shape.of(batch, image[0], image[1], image[2]));
        Value y = g.data(GraphIo.LABELS, DType.INT64, Shape.of(batch));
        Value w = g.data(WEIGHT, DType.FLOAT, Shape.of(batch));
        Value perm = g.data(GraphIo.PERMUTATION, DType.INT64, Shape.of(batch));

        ClassifierReplay.CleanPass pass = g.cleanPass(x, y, w);
        Value clean = pass.logits();
        Value grad = pass.inputGradient();
        g.output(pass.loss(), "loss", Role.LOSS);
        g.output(grad, INPUT_GRADIENT, Role.METRIC);
        Value hits = Metrics.topKHits(o, clean, y, 1);
        g.output(weightedSum(o, w, hits), "top1", Role.METRIC);
        long classes = clean.dim(1);
        if (classes > 5) {
            g.output(weightedSum(o, w, Metrics.topKHits(o, clean, y, 5)), "top5", Role.METRIC);
        }
        Value confidence = Metrics.confidence(o, clean);
        Value bin = Metrics.confidenceBin(o, confidence, settings.bins());
        g.output(Metrics.binSums(o, bin, w, settings.bins()), "bin_count", Role.METRIC);
        g.output(Metrics.binSums(o, bin, o.mul(w, confidence), settings.bins()), "bin_confidence", Role.METRIC);
        g.output(Metrics.binSums(o, bin, o.mul(w, hits), settings.bins()), "bin_correct", Role.METRIC);

        Value adversarial = fgsm(o, x, grad, settings.epsilon(), mean, std);
        Value advLogits = g.logits(adversarial, y);
        g.output(weightedSum(o, w, Metrics.topKHits(o, advLogits, y, 1)), "fgsm_top1", Role.METRIC);

        Value partner = o.gather(y, perm, 0);
        Value different = o.cast(o.builder().op("Not", o.equal(y, partner)), DType.FLOAT);
        Value pairWeight = o.mul(o.mul(w, o.gather(w, perm, 0)), different);
        g.output(o.reduceSumAll(pairWeight), "mixed_pairs", Role.METRIC);
        for (double lam : settings.lams()) {
            Value mixed = SampleMixing.mix(o, x, perm, o.scalar((float) lam));
            Value mixedLogits = g.logits(mixed, y);
            g.output(weightedSum(o, pairWeight, Metrics.topKHits(o, mixedLogits, y, 1)), mixedOutput("top1", lam),
                    Role.METRIC);
            g.output(weightedSum(o, pairWeight, Metrics.topTwoPairHits(o, mixedLogits, y, partner)),
                    mixedOutput("top2", lam), Role.METRIC);
        }
        return g.finish();
    }

    /**
     * One FGSM step on normalised images: {@code eps} pixel units are {@code eps / std_c} normalised units, and
     * the pixel range [0, 1] is {@code [(0 - mean_c) / std_c, (1 - mean_c) / std_c]}.
     */
    static Value fgsm(Ops o, Value x, Value grad, double epsilon, float[] mean, float[] std) {
        int c = mean.length;
        float[] step = new float[c];
        float[] lo = new float[c];
        float[] hi = new float[c];
        for (int i = 0; i < c; i++) {
            step[i] = (float) (epsilon / std[i]);
            lo[i] = -mean[i] / std[i];
            hi[i] = (1 - mean[i]) / std[i];
        }
        Shape perChannel = Shape.of(1, c, 1, 1);
        Value moved = o.add(x, o.mul(o.builder().op("Sign", grad), o.constant(Tensor.ofFloats(perChannel, step))));
        return o.max(o.min(moved, o.constant(Tensor.ofFloats(perChannel, hi))),
                o.constant(Tensor.ofFloats(perChannel, lo)));
    }

    private static Value weightedSum(Ops o, Value weight, Value perSample) {
        return o.reduceSumAll(o.mul(weight, perSample));
    }
}
