package org.automixonnx.train;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.automixonnx.runtime.AtomicFiles;

/**
 * The run's metric files: {@code metrics.jsonl} (one JSON object per epoch, appended as the epoch ends) and
 * {@code summary.csv} (all epochs, rewritten atomically each epoch so it is never torn). Rows are the flat
 * maps of {@link EpochRecord#flat()}.
 */
public final class MetricsLog {
    public static final String JSONL = "metrics.jsonl";
    public static final String CSV = "summary.csv";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;
    private final List<Map<String, Object>> rows = new ArrayList<>();

    public MetricsLog(Path runDir) {
        this.dir = runDir;
    }

    /**
     * Opens the log of a run starting at epoch {@code epochsDone} (0 for a new run) keeping only epochs before it:
     * what an interrupted run logged after its last checkpoint is dropped, as the resumed run logs those epochs
     * again.
     */
    public static MetricsLog resume(Path runDir, int epochsDone) throws IOException {
        MetricsLog log = new MetricsLog(runDir);
        for (Map<String, Object> row : read(runDir)) {
            if (((Number) row.get("epoch")).intValue() < epochsDone) {
                log.rows.add(row);
            }
        }
        Path f = runDir.resolve(JSONL);
        StringBuilder sb = new StringBuilder();
        for (Map<String, Object> r : log.rows) {
            sb.append(JSON.writeValueAsString(r)).append('\n');
        }
        AtomicFiles.writeString(f, sb.toString());
        log.writeCsv();
        return log;
    }

    /** The epochs a run's metrics.jsonl holds (none when it has none yet), skipping a line torn mid-append. */
    public static List<Map<String, Object>> read(Path runDir) throws IOException {
        Path f = runDir.resolve(JSONL);
        List<Map<String, Object>> rows = new ArrayList<>();
        if (!Files.isRegularFile(f)) {
            return rows;
        }
        for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
            if (line.isBlank()) {
                continue;
            }
            try {
                rows.add(JSON.readValue(line, new TypeReference<LinkedHashMap<String, Object>>() { }));
            } catch (IOException e) {
                // a line torn by a crash mid-append belongs to an epoch a resumed run does again
            }
        }
        return rows;
    }

    /** The sum of the logged epochs' wall times ({@link EpochRecord#WALL_SECONDS}): the run's training time. */
    public static double trainingSeconds(Path runDir) throws IOException {
        double s = 0;
        for (Map<String, Object> row : read(runDir)) {
            if (row.get(EpochRecord.WALL_SECONDS) instanceof Number n) {
                s += n.doubleValue();
            }
        }
        return s;
    }

    public List<Map<String, Object>> rows() {
        return List.copyOf(rows);
    }

    public void append(EpochRecord r) throws IOException {
        Map<String, Object> row = r.flat();
        rows.add(row);
        Files.writeString(dir.resolve(JSONL), JSON.writeValueAsString(row) + "\n", StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        writeCsv();
    }

    private void writeCsv() throws IOException {
        Set<String> columns = new LinkedHashSet<>();
        rows.forEach(r -> columns.addAll(r.keySet()));
        StringBuilder sb = new StringBuilder(String.join(",", columns)).append('\n');
        for (Map<String, Object> row : rows) {
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
