package org.automixonnx.mixup;

import java.util.ArrayList;
import java.util.List;

/** The {@code puzzlemix:} section of a run config ({@link PuzzleMixer}); defaults: the reference's CIFAR recipe. */
public final class PuzzleMixOptions implements MethodOptions {
    /** The section's YAML key. */
    public static final String SECTION = "puzzlemix";

    /** Label smoothness (per label change, normalised by 16 B for a B x B grid). */
    public double beta = 1.2;
    /** Weight of the pixel difference across block boundaries within the smoothness term. */
    public double gamma = 0.5;
    /** Weight of the lambda prior. */
    public double eta = 0.2;
    /** Pooling window (pixels) of the boundary differences. */
    public int neighbourhood = 4;
    /** Block labels: 2 (own or partner) or 3 (also half-and-half, the reference's default). */
    public int labels = 3;
    public boolean transport = true;
    /** Transport cell side in pixels (when it divides the block side; else the blocks are the cells). */
    public int transportCell = 4;
    /** Weight of the transport distance. */
    public double transportEps = 0.8;

    @Override
    public List<String> problems(boolean zooModel) {
        List<String> problems = new ArrayList<>();
        ValueRange.atLeast(problems, SECTION + ".beta", beta, 0);
        ValueRange.atLeast(problems, SECTION + ".gamma", gamma, 0);
        ValueRange.atLeast(problems, SECTION + ".eta", eta, 0);
        ValueRange.atLeast(problems, SECTION + ".transportEps", transportEps, 0);
        ValueRange.atLeast(problems, SECTION + ".neighbourhood", neighbourhood, 1);
        ValueRange.atLeast(problems, SECTION + ".transportCell", transportCell, 1);
        if (labels != 2 && labels != 3) {
            problems.add(SECTION + ".labels must be 2 or 3 (got " + labels + ")");
        }
        return problems;
    }

    /** The mixer's settings from this section. */
    public PuzzleMixer.Settings settings() {
        return new PuzzleMixer.Settings(beta, gamma, eta, neighbourhood, labels, transport, transportCell,
                transportEps);
    }
}
