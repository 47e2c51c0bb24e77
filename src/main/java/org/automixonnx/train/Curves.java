package org.automixonnx.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.automixonnx.mixup.MaskStatistics;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * PNG curves of a run from its metric rows: loss terms ({@code loss*}), test accuracies ({@code top*}) and, for
 * AutoMix, the MixBlock's mask statistics ({@link MaskStatistics#NAMES}).
 */
public final class Curves {
    private Curves() {
    }

    /** Writes {@code mixBlockPng} only when the rows carry mask statistics (AutoMix runs). */
    public static void write(List<Map<String, Object>> rows, Path lossPng, Path accuracyPng, Path mixBlockPng)
            throws IOException {
        if (rows.isEmpty()) {
            return;
        }
        save(chart("Training loss", "loss", rows, k -> k.startsWith("loss")), lossPng);
        save(chart("Test top-1 accuracy", "accuracy", rows, k -> k.startsWith("top")), accuracyPng);
        if (rows.stream().anyMatch(r -> r.containsKey(MaskStatistics.STD))) {
            save(chart("MixBlock masks (flat below mask_std " + MaskStatistics.FLAT_STD + ")", "epoch mean", rows,
                    MaskStatistics.NAMES::contains), mixBlockPng);
        }
    }

    private static XYChart chart(String title, String yLabel, List<Map<String, Object>> rows, Predicate<String> shown) {
        XYChart c = new XYChartBuilder().width(800).height(500).title(title).xAxisTitle("epoch").yAxisTitle(yLabel)
                .build();
        TreeSet<String> keys = new TreeSet<>();
        rows.forEach(r -> r.keySet().stream().filter(shown).forEach(keys::add));
        double[] x = rows.stream().mapToDouble(r -> ((Number) r.get("epoch")).doubleValue() + 1).toArray();
        for (String k : keys) {
            double[] y = rows.stream().mapToDouble(r -> r.get(k) instanceof Number n ? n.doubleValue() : Double.NaN)
                    .toArray();
            c.addSeries(k, x, y).setMarker(SeriesMarkers.CIRCLE);
        }
        return c;
    }

    private static void save(XYChart c, Path png) throws IOException {
        String base = png.toString().replaceAll("\\.png$", "");
        BitmapEncoder.saveBitmap(c, base, BitmapEncoder.BitmapFormat.PNG);
    }
}
