package org.automixonnx.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.automixonnx.runtime.AtomicFiles;

/**
 * The run's metric files: {@code metrics.jsonl} (one JSON object per epoch, appended and flushed as the
 * epoch ends) and {@code summary.csv} (all epochs, rewritten atomically each epoch so it is never torn).
 */
public final class MetricsLog {
    public static final String JSONL = "metrics.jsonl";
    public static final String CSV = "summary.csv";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;
    private final List<EpochRecord> epochs = new ArrayList<>();

    public MetricsLog(Path runDir) {
        this.dir = runDir;
    }

    /** Records loaded back from metrics.jsonl when a run resumes. */
    public List<EpochRecord> records() {
        return List.copyOf(epochs);
    }

    public void append(EpochRecord r) throws IOException {
        epochs.add(r);
        Files.writeString(dir.resolve(JSONL), JSON.writeValueAsString(r.flat()) + "\n", StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        writeCsv();
    }

    /** Keeps only epochs before {@code epoch} (resume drops what the interrupted run logged after its checkpoint). */
    public void truncateTo(int epoch, List<EpochRecord> previous) throws IOException {
        epochs.clear();
        for (EpochRecord r : previous) {
            if (r.epoch() < epoch) {
                epochs.add(r);
            }
        }
        StringBuilder sb = new StringBuilder();
        for (EpochRecord r : epochs) {
            sb.append(JSON.writeValueAsString(r.flat())).append('\n');
        }
        AtomicFiles.writeString(dir.resolve(JSONL), sb.toString());
        writeCsv();
    }

    private void writeCsv() throws IOException {
        Set<String> columns = new LinkedHashSet<>();
        epochs.forEach(r -> columns.addAll(r.flat().keySet()));
        StringBuilder sb = new StringBuilder(String.join(",", columns)).append('\n');
        for (EpochRecord r : epochs) {
            Map<String, Object> row = r.flat();
            List<String> cells = new ArrayList<>();
            for (String c : columns) {
                Object v = row.get(c);
                cells.add(v == null ? "" : v instanceof Double d ? String.format(java.util.Locale.ROOT, "%.6g", d)
                        : v.toString());
            }
            sb.append(String.join(",", cells)).append('\n');
        }
        AtomicFiles.writeString(dir.resolve(CSV), sb.toString());
    }
}
