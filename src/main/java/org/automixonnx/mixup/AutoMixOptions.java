package org.automixonnx.mixup;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.automixonnx.models.ImageClassifier;
import org.automixonnx.models.StagedClassifier;

/**
 * The {@code automix:} section of a run config (docs/automix.md), and the {@link AutoMix.Settings} and MixBlock
 * options built from it. The EMA defaults are for short runs like the default run (about 1,100 iterations): the
 * paper's 0.999 -> 0.999999 is tuned for ~100k iterations and would leave the teacher near its initialisation
 * there, and even 0.99 -> 0.999 kept it 9 points behind the student after 240 iterations (69.4% against 78.3%
 * with 0.9 -> 0.99, the same run otherwise). configs/*.yaml hold the paper recipes.
 */
public final class AutoMixOptions implements MethodOptions {
    /** The section's YAML key. */
    public static final String SECTION = "automix";
    private static final List<String> UPSAMPLING = List.of("nearest", "bilinear");
    private static final List<String> MASK_LOSS_SCHEDULES = List.of("constant", "linear", "cosine");

    /** Feature tap of the teacher fed to the MixBlock: l1..l4. */
    public String tap = "l3";
    public boolean lamConcat = true;
    /** Mask upsampling: nearest | bilinear. */
    public String upsample = "nearest";
    public double maskLossWeight = 0.1;
    /** constant | linear | cosine. */
    public String maskLossSchedule = "constant";
    /** Paper: 0.999. */
    public double emaStart = 0.9;
    /** Paper: 0.999999 for small images, 0.99999 for ImageNet-size ones. */
    public double emaEnd = 0.99;
    public double emaWarmupFraction = 0.1;
    /** lam_q at or beyond this margin from 0/1 uses plain MixUp for that iteration. */
    public double lamMargin = 0.08;

    @Override
    public List<String> problems(boolean zooModel) {
        List<String> problems = new ArrayList<>();
        if (zooModel && !StagedClassifier.TAPS.contains(tap)) {
            problems.add(SECTION + ".tap must be one of " + String.join(", ", StagedClassifier.TAPS) + " (got '" + tap
                    + "')");
        }
        if (!UPSAMPLING.contains(upsample)) {
            problems.add(SECTION + ".upsample must be nearest or bilinear (got '" + upsample + "')");
        }
        if (!MASK_LOSS_SCHEDULES.contains(maskLossSchedule)) {
            problems.add(SECTION + ".maskLossSchedule must be constant, linear or cosine (got '" + maskLossSchedule
                    + "')");
        }
        ValueRange.within(problems, SECTION + ".emaStart", emaStart, 0, 1);
        ValueRange.within(problems, SECTION + ".emaEnd", emaEnd, 0, 1);
        ValueRange.within(problems, SECTION + ".emaWarmupFraction", emaWarmupFraction, 0, 1);
        ValueRange.atLeast(problems, SECTION + ".maskLossWeight", maskLossWeight, 0);
        // at 0.5 every iteration is plain MixUp; beyond, the margins would overlap
        ValueRange.within(problems, SECTION + ".lamMargin", lamMargin, 0, 0.5);
        return problems;
    }

    /** The MixBlock's lambda embedding and mask upsampling. */
    public MixBlock.Options mixBlock() {
        return new MixBlock.Options(lamConcat, MixBlock.Upsampling.valueOf(upsample.toUpperCase(Locale.ROOT)));
    }

    /**
     * The tensor the MixBlock reads: {@code featureTap} when a model file names one, else this section's tap (a zoo
     * model's stage output).
     */
    public String tapOn(ImageClassifier network, String featureTap) {
        if (featureTap != null) {
            return featureTap;
        }
        // only a model file without --feature-tap has no taps at all
        if (network.taps().isEmpty()) {
            throw new IllegalArgumentException("method automix with a model file needs --feature-tap TENSOR: the "
                    + "feature map the MixBlock reads, e.g. the output of the network's third stage");
        }
        return tap;
    }

    /** The method's settings for a run of {@code totalIterations}: tap, MixBlock, margin, beta and EMA schedules. */
    AutoMix.Settings settings(ImageClassifier network, String featureTap, long totalIterations) {
        MaskLossWeight.Kind schedule = MaskLossWeight.Kind.valueOf(maskLossSchedule.toUpperCase(Locale.ROOT));
        MaskLossWeight beta = new MaskLossWeight(schedule, maskLossWeight, totalIterations);
        EmaMomentum ema = new EmaMomentum(emaStart, emaEnd, emaWarmupFraction, totalIterations);
        return new AutoMix.Settings(tapOn(network, featureTap), mixBlock(), lamMargin, beta::at, ema::at);
    }
}
