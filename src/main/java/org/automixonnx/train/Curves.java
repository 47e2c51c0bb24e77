package org.automixonnx.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** PNG curves of a run: loss terms and test accuracies per epoch. */
public final class Curves {
    private Curves() {
    }

    public static void write(List<EpochRecord> records, Path lossPng, Path accuracyPng) throws IOException {
        if (records.isEmpty()) {
            return;
        }
        save(chart("Training loss", "loss", records, r -> r.losses()), lossPng);
        save(chart("Test top-1 accuracy", "accuracy", records, r -> r.accuracy()), accuracyPng);
    }

    private static XYChart chart(String title, String yLabel, List<EpochRecord> records,
            java.util.function.Function<EpochRecord, Map<String, Double>> field) {
        XYChart c = new XYChartBuilder().width(800).height(500).title(title).xAxisTitle("epoch").yAxisTitle(yLabel)
                .build();
        TreeSet<String> keys = new TreeSet<>();
        records.forEach(r -> keys.addAll(field.apply(r).keySet()));
        double[] x = records.stream().mapToDouble(r -> r.epoch() + 1).toArray();
        for (String k : keys) {
            double[] y = records.stream().mapToDouble(r -> field.apply(r).getOrDefault(k, Double.NaN)).toArray();
            c.addSeries(k, x, y).setMarker(SeriesMarkers.CIRCLE);
        }
        return c;
    }

    private static void save(XYChart c, Path png) throws IOException {
        String base = png.toString().replaceAll("\\.png$", "");
        BitmapEncoder.saveBitmap(c, base, BitmapEncoder.BitmapFormat.PNG);
    }
}
