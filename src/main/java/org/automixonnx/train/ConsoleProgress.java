package org.automixonnx.train;

import java.io.PrintWriter;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * The per-epoch progress bar (loss and images/s as its message), shown only when enabled and stdout is a
 * terminal; otherwise silent, so logs and pipes get the one summary line per epoch only.
 */
public final class ConsoleProgress implements AutoCloseable {
    private final ProgressBar bar;

    public ConsoleProgress(boolean enabled, String task, long total) {
        this.bar = enabled && System.console() != null
                ? new ProgressBarBuilder().setTaskName(task).setInitialMax(total).setStyle(ProgressBarStyle.ASCII)
                        .setUpdateIntervalMillis(250).continuousUpdate().build()
                : null;
    }

    public void step(double loss, double imagesPerSecond) {
        if (bar != null) {
            bar.step();
            bar.setExtraMessage(String.format(java.util.Locale.ROOT, " loss %.4f  %.0f img/s", loss, imagesPerSecond));
        }
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }

    /** The line printed at the end of every epoch. */
    public static void summary(PrintWriter out, EpochRecord r, int epochs) {
        StringBuilder sb = new StringBuilder(String.format(java.util.Locale.ROOT, "epoch %d/%d", r.epoch() + 1, epochs));
        r.losses().forEach((k, v) -> sb.append(String.format(java.util.Locale.ROOT, "  %s %.4f", k, v)));
        r.accuracy().forEach((k, v) -> sb.append(String.format(java.util.Locale.ROOT, "  %s %.2f%%", k, 100 * v)));
        sb.append(String.format(java.util.Locale.ROOT, "  lr %.4g  %.0f img/s  %.0f s", r.schedule().get("lr"),
                r.imagesPerSecond(), r.wallSeconds()));
        out.println(sb);
        out.flush();
    }
}
