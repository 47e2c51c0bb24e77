package org.automixonnx.train;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The reliability diagram of a {@link Calibration} as PNG (as in Guo et al. 2017): per confidence bin a bar of
 * the bin's accuracy, the gap between that accuracy and the bin's mean confidence shaded on top of it (below it
 * when the classifier is under-confident), and the diagonal of perfect calibration. Empty bins have no bar.
 */
public final class ReliabilityDiagram {
    private static final Color ACCURACY = new Color(40, 90, 190);
    private static final Color GAP = new Color(220, 40, 40, 120);

    private ReliabilityDiagram() {
    }

    /** @param evalSet what the images were, for the title ("test", "held-out") */
    public static void write(Calibration c, String evalSet, Path png) throws IOException {
        String base = png.toString().replaceAll("\\.png$", "");
        BitmapEncoder.saveBitmap(chart(c, evalSet), base, BitmapEncoder.BitmapFormat.PNG);
    }

    static XYChart chart(Calibration c, String evalSet) {
        XYChart chart = new XYChartBuilder().width(640).height(600)
                .title(String.format(Locale.ROOT, "Reliability diagram (ECE %.2f%%, %d %s images)", 100 * c.ece(),
                        Math.round(c.samples()), evalSet))
                .xAxisTitle("confidence").yAxisTitle("accuracy").build();
        chart.getStyler().setXAxisMin(0.0).setXAxisMax(1.0).setYAxisMin(0.0).setYAxisMax(1.0)
                .setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNW);
        int bins = c.bins();
        // accuracy bars: the outline of a histogram, from (0, 0) along the bar tops back to (1, 0)
        double[] ax = new double[2 * bins + 2];
        double[] ay = new double[2 * bins + 2];
        // gaps: the band between the step functions "mean confidence" and "accuracy" (forward along one,
        // back along the other); its area is exactly the union of the per-bin gap rectangles
        double[] gx = new double[4 * bins];
        double[] gy = new double[4 * bins];
        for (int b = 0; b < bins; b++) {
            double lo = b / (double) bins;
            double hi = (b + 1) / (double) bins;
            double acc = c.count()[b] == 0 ? 0 : c.accuracy(b);
            double conf = c.count()[b] == 0 ? 0 : c.meanConfidence(b);
            ax[1 + 2 * b] = lo;
            ax[2 + 2 * b] = hi;
            ay[1 + 2 * b] = acc;
            ay[2 + 2 * b] = acc;
            gx[2 * b] = lo;
            gx[2 * b + 1] = hi;
            gy[2 * b] = conf;
            gy[2 * b + 1] = conf;
            int back = 4 * bins - 1 - 2 * b;
            gx[back] = lo;
            gx[back - 1] = hi;
            gy[back] = acc;
            gy[back - 1] = acc;
        }
        ax[2 * bins + 1] = 1;
        area(chart.addSeries("accuracy", ax, ay), ACCURACY);
        area(chart.addSeries("gap to mean confidence", gx, gy), GAP);
        XYSeries diagonal = chart.addSeries("perfect calibration", new double[] {0, 1}, new double[] {0, 1});
        diagonal.setMarker(SeriesMarkers.NONE);
        diagonal.setLineColor(Color.DARK_GRAY);
        diagonal.setLineStyle(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                new float[] {6f, 4f}, 0f));
        return chart;
    }

    private static void area(XYSeries s, Color color) {
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.PolygonArea);
        s.setMarker(SeriesMarkers.NONE);
        s.setFillColor(color);
        s.setLineColor(color);
        s.setLineWidth(0.5f);
    }
}
