package org.automixonnx.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads an ORT profile (Chrome trace JSON) and totals kernel time per operator type and per node, so a
 * benchmark can say where a step's time goes. Times are divided by the number of profiled runs.
 */
public final class ProfileSummary {
    private final Map<String, Double> byOp = new HashMap<>();
    private final Map<String, Double> byNode = new HashMap<>();
    private final Map<String, String> nodeOp = new HashMap<>();
    private final int runs;

    private ProfileSummary(int runs) {
        this.runs = Math.max(1, runs);
    }

    /**
     * A summary of each profile file in {@code dir} written at or after {@code since} (ORT names a file after
     * its session, e.g. {@code student_step_DATE.json}), in name order, each under a heading with its path.
     * {@code since} is taken to the whole second, as file times may be.
     */
    public static String tables(Path dir, java.time.Instant since, int topNodes) throws IOException {
        java.time.Instant from = since.truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        StringBuilder sb = new StringBuilder();
        try (var files = java.nio.file.Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                if (!java.nio.file.Files.getLastModifiedTime(f).toInstant().isBefore(from)) {
                    sb.append(String.format("%nORT profile %s%n", f)).append(read(f).table(topNodes));
                }
            }
        }
        return sb.toString();
    }

    public static ProfileSummary read(Path file) throws IOException {
        JsonNode events = new ObjectMapper().readTree(file.toFile());
        int runs = 0;
        List<JsonNode> kernels = new ArrayList<>();
        for (JsonNode e : events) {
            String name = e.path("name").asText();
            if (e.path("cat").asText().equals("Session") && name.equals("model_run")) {
                runs++;
            } else if (e.path("cat").asText().equals("Node") && name.endsWith("_kernel_time")) {
                kernels.add(e);
            }
        }
        ProfileSummary s = new ProfileSummary(runs);
        for (JsonNode e : kernels) {
            String node = e.path("name").asText().replace("_kernel_time", "");
            String op = e.path("args").path("op_name").asText("?");
            double ms = e.path("dur").asDouble() / 1000.0;
            s.byOp.merge(op, ms, Double::sum);
            s.byNode.merge(node, ms, Double::sum);
            s.nodeOp.put(node, op);
        }
        return s;
    }

    /** Milliseconds per run spent in kernels of each operator type, largest first. */
    public List<Map.Entry<String, Double>> perOperator() {
        return sorted(byOp);
    }

    private List<Map.Entry<String, Double>> sorted(Map<String, Double> m) {
        return m.entrySet().stream().map(e -> Map.entry(e.getKey(), e.getValue() / runs))
                .sorted((a, b) -> Double.compare(b.getValue(), a.getValue())).toList();
    }

    public String table(int topNodes) {
        double total = byOp.values().stream().mapToDouble(Double::doubleValue).sum() / runs;
        StringBuilder sb = new StringBuilder(String.format("kernel time per step: %.1f ms over %d profiled runs%n",
                total, runs));
        sb.append(String.format("%-28s %10s %6s%n", "operator", "ms/step", "share"));
        for (Map.Entry<String, Double> e : perOperator()) {
            sb.append(String.format("%-28s %10.2f %5.1f%%%n", e.getKey(), e.getValue(), 100 * e.getValue() / total));
        }
        sb.append(String.format("%nslowest nodes%n"));
        sorted(byNode).stream().limit(topNodes).forEach(e -> sb.append(String.format("%-60s %-18s %8.2f ms%n",
                e.getKey(), nodeOp.get(e.getKey()), e.getValue())));
        return sb.toString();
    }
}
