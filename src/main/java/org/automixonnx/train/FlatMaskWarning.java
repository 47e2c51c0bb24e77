package org.automixonnx.train;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.automixonnx.mixup.MaskStatistics;

/**
 * The console warning that AutoMix's masks stayed flat: an epoch from {@link #FROM_EPOCH} on whose mean
 * {@link MaskStatistics#STD} is below {@link MaskStatistics#FLAT_STD} means the MixBlock mixes like MixUp (one
 * constant weight per pair), so AutoMix pays for its extra graph without mixing any differently. Earlier epochs are
 * not judged: the MixBlock starts from weights near 0, i.e. a flat sigmoid(0) = 0.5 mask, and needs time to learn.
 */
final class FlatMaskWarning {
    /** The first epoch (1-based) whose masks are judged. */
    static final int FROM_EPOCH = 3;

    private FlatMaskWarning() {
    }

    /**
     * The warning line for the last of a run's metric rows (all epochs logged so far, as metrics.jsonl holds them),
     * or null. Only the first judged flat epoch warns, so a run warns once, also across resumes; rows without mask
     * statistics (other methods) never do.
     */
    static String check(List<Map<String, Object>> rows) {
        for (int i = 0; i < rows.size(); i++) {
            Map<String, Object> row = rows.get(i);
            int epoch = ((Number) row.get("epoch")).intValue() + 1;
            if (epoch >= FROM_EPOCH && row.get(MaskStatistics.STD) instanceof Number std
                    && MaskStatistics.flat(std.doubleValue())) {
                return i == rows.size() - 1 ? message(epoch, std.doubleValue()) : null;
            }
        }
        return null;
    }

    private static String message(int epoch, double std) {
        return String.format(Locale.ROOT, "warning: the MixBlock's masks are flat at epoch %d (%s %.4f < %s): AutoMix"
                + " is mixing like MixUp (a constant weight per pair); train longer, or try an earlier feature tap"
                + " (automix: {tap: l2}) or bilinear mask upsampling (automix: {upsample: bilinear}) in a --config"
                + " file",
                epoch, MaskStatistics.STD, std, MaskStatistics.FLAT_STD);
    }
}
