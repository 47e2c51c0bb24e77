package org.automixonnx.mixup;

import java.nio.FloatBuffer;
import java.util.List;
import java.util.Map;

/**
 * How far the MixBlock's masks are from MixUp: running means over masks of three per-mask figures. A mask is the
 * partner's per-pixel weight s in [0, 1] (one H x W plane per sample), drawn for the sample's own share lam, so
 * its target mean is {@code 1 - lam} (the convention of {@link MixBlock}, {@code AutoMixStepGraphs.maskLoss} and
 * {@link MarginRule}).
 *
 * <ul>
 *   <li>{@link #GAP}: {@code |mean(s) - (1 - lam)|}, how loosely a mask follows its lambda (the mask loss only
 *       pulls the batch mean within {@link AutoMixStepGraphs#MASK_MARGIN}).</li>
 *   <li>{@link #STD}: the standard deviation of s over the mask's pixels; 0 for a constant mask, i.e. MixUp, 0.5
 *       for a hard half-and-half cut.</li>
 *   <li>{@link #BINARY}: the fraction of pixels within {@link #BINARY_MARGIN} of 0 or 1, where a pixel comes
 *       from one image only (CutMix-like). A flat mask counts here too when lam itself is that close to 0 or 1.</li>
 * </ul>
 *
 * One pass over the masks per {@link #add}, no allocation: cheap enough for every training iteration.
 */
public final class MaskStatistics {
    public static final String GAP = "mask_gap";
    public static final String STD = "mask_std";
    public static final String BINARY = "mask_binary";
    /** The metric names, in the order metrics.jsonl and the epoch line list them. */
    public static final List<String> NAMES = List.of(GAP, STD, BINARY);
    /** A pixel weight below this or above 1 minus this counts as binary. */
    public static final double BINARY_MARGIN = 0.05;
    /**
     * Masks whose mean spatial standard deviation stays below this are flat: the MixBlock mixes like MixUp.
     * Issue 18's short run produced masks of 0.000-0.002; a weight varying by a few hundredths around its mean
     * mixes practically as MixUp's constant does.
     */
    public static final double FLAT_STD = 0.02;

    private double gapSum;
    private double stdSum;
    private double binarySum;
    private long masks;

    /**
     * Adds {@code count} masks laid out one after another in {@code partnerWeights} (from index 0 to its limit,
     * which must be a multiple of {@code count}), all drawn for the own share {@code lam}.
     */
    public void add(FloatBuffer partnerWeights, int count, double lam) {
        int total = partnerWeights.limit();
        if (count < 1 || total % count != 0 || total == 0) {
            throw new IllegalArgumentException(total + " mask values do not split into " + count + " masks");
        }
        int plane = total / count;
        double target = 1 - lam;
        for (int i = 0; i < count; i++) {
            double sum = 0;
            double squares = 0;
            int binary = 0;
            for (int p = i * plane, end = p + plane; p < end; p++) {
                double s = partnerWeights.get(p);
                sum += s;
                squares += s * s;
                if (s < BINARY_MARGIN || s > 1 - BINARY_MARGIN) {
                    binary++;
                }
            }
            double mean = sum / plane;
            gapSum += Math.abs(mean - target);
            // population variance; rounding may take a constant mask's a hair below 0
            stdSum += Math.sqrt(Math.max(0, squares / plane - mean * mean));
            binarySum += binary / (double) plane;
        }
        masks += count;
    }

    /** Forgets everything added so far. */
    public void reset() {
        gapSum = 0;
        stdSum = 0;
        binarySum = 0;
        masks = 0;
    }

    public long masks() {
        return masks;
    }

    /** Mean {@link #GAP} over the masks added (NaN before any). */
    public double gap() {
        return gapSum / masks;
    }

    /** Mean {@link #STD} over the masks added (NaN before any). */
    public double std() {
        return stdSum / masks;
    }

    /** Mean {@link #BINARY} fraction over the masks added (NaN before any). */
    public double binary() {
        return binarySum / masks;
    }

    /** Puts the three means into {@code metrics} by metric name, in {@link #NAMES} order. */
    public void putInto(Map<String, Double> metrics) {
        metrics.put(GAP, gap());
        metrics.put(STD, std());
        metrics.put(BINARY, binary());
    }

    /** Whether masks with this mean spatial standard deviation are flat (see {@link #FLAT_STD}). */
    public static boolean flat(double meanStd) {
        return meanStd < FLAT_STD;
    }
}
