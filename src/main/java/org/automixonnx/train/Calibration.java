package org.automixonnx.train;

/**
 * Per-bin sums of a classifier's confidence over equal-width bins of (0, 1]: how many test images fell in each
 * bin, the sum of their confidences and how many of them were classified correctly. Sums (not means) so that
 * batches add up exactly.
 */
public record Calibration(double[] count, double[] confidence, double[] correct) {
    public Calibration {
        if (count.length != confidence.length || count.length != correct.length || count.length == 0) {
            throw new IllegalArgumentException("calibration needs three equally long, non-empty bin arrays");
        }
        count = count.clone();
        confidence = confidence.clone();
        correct = correct.clone();
    }

    public int bins() {
        return count.length;
    }

    public double samples() {
        double n = 0;
        for (double c : count) {
            n += c;
        }
        return n;
    }

    /** Accuracy of the images in bin b (NaN for an empty bin). */
    public double accuracy(int b) {
        return count[b] == 0 ? Double.NaN : correct[b] / count[b];
    }

    /** Mean confidence of the images in bin b (NaN for an empty bin). */
    public double meanConfidence(int b) {
        return count[b] == 0 ? Double.NaN : confidence[b] / count[b];
    }

    /**
     * Expected calibration error {@code sum_b |B_b| / n * |acc(B_b) - conf(B_b)|}, which is
     * {@code sum_b |correct_b - confidence_b| / n} with the per-bin sums.
     */
    public double ece() {
        double n = samples();
        if (n == 0) {
            return Double.NaN;
        }
        double sum = 0;
        for (int b = 0; b < bins(); b++) {
            sum += Math.abs(correct[b] - confidence[b]);
        }
        return sum / n;
    }
}
