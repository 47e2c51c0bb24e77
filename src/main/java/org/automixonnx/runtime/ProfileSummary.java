package org.automixonnx.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads an ORT profile (Chrome trace JSON) and totals kernel time per operator type and per node, so a
 * benchmark can say where a step's time goes.
 *
 * <p>A node's time per step is the median of its runs: the first runs of a session (arena growth, first touches of
 * fresh memory) take up to 50x longer per node, and a profile that includes them (bench and train profile from
 * the first step) would otherwise overstate every operator. For the operators that do the multiply-adds (Conv,
 * ConvTranspose, MatMul, FusedMatMul, Gemm) the table also gives the rate they ran at, from the shapes ORT
 * records, to set beside what the machine's SGEMM reaches (OpBench peak).
 */
public final class ProfileSummary {
    private final Map<String, Double> byOp = new HashMap<>();
    private final Map<String, Double> flopsByOp = new HashMap<>();
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
        Map<String, List<Double>> nodeMillis = new LinkedHashMap<>();
        Map<String, JsonNode> nodeArgs = new HashMap<>();
        for (JsonNode e : events) {
            String name = e.path("name").asText();
            if (e.path("cat").asText().equals("Session") && name.equals("model_run")) {
                runs++;
            } else if (e.path("cat").asText().equals("Node") && name.endsWith("_kernel_time")) {
                String node = name.replace("_kernel_time", "");
                nodeMillis.computeIfAbsent(node, k -> new ArrayList<>()).add(e.path("dur").asDouble() / 1000.0);
                nodeArgs.putIfAbsent(node, e.path("args"));
            }
        }
        ProfileSummary s = new ProfileSummary(runs);
        nodeMillis.forEach((node, millis) -> {
            JsonNode args = nodeArgs.get(node);
            String op = args.path("op_name").asText("?");
            double ms = median(millis);
            s.byOp.merge(op, ms, Double::sum);
            s.byNode.merge(node, ms, Double::sum);
            s.nodeOp.put(node, op);
            double flops = multiplyAddFlops(op, shapes(args.path("input_type_shape")),
                    shapes(args.path("output_type_shape")));
            if (flops > 0) {
                s.flopsByOp.merge(op, flops, Double::sum);
            }
        });
        return s;
    }

    /** Number of profiled runs (session runs) the file holds. */
    public int runs() {
        return runs;
    }

    /** Milliseconds per step spent in kernels of each operator type (sum of its nodes' medians), largest first. */
    public List<Map.Entry<String, Double>> perOperator() {
        return sorted(byOp);
    }

    /** GFLOP/s of each operator type that does multiply-adds (2 flops each), over its kernel time. */
    public Map<String, Double> gflopsPerSecond() {
        Map<String, Double> rates = new HashMap<>();
        flopsByOp.forEach((op, flops) -> rates.put(op, flops / 1e6 / byOp.get(op)));
        return rates;
    }

    private static List<Map.Entry<String, Double>> sorted(Map<String, Double> m) {
        return m.entrySet().stream().map(Map.Entry::copyOf)
                .sorted((a, b) -> Double.compare(b.getValue(), a.getValue())).toList();
    }

    public String table(int topNodes) {
        double total = byOp.values().stream().mapToDouble(Double::doubleValue).sum();
        Map<String, Double> rates = gflopsPerSecond();
        StringBuilder sb = new StringBuilder(String.format("kernel time per step: %.1f ms over %d profiled runs "
                + "(each node's median)%n", total, runs));
        sb.append(String.format("%-28s %10s %6s %9s%n", "operator", "ms/step", "share", "GFLOP/s"));
        for (Map.Entry<String, Double> e : perOperator()) {
            Double rate = rates.get(e.getKey());
            sb.append(String.format("%-28s %10.2f %5.1f%% %9s%n", e.getKey(), e.getValue(), 100 * e.getValue() / total,
                    rate == null ? "" : String.format("%.0f", rate)));
        }
        sb.append(String.format("%nslowest nodes%n"));
        sorted(byNode).stream().limit(topNodes).forEach(e -> sb.append(String.format("%-60s %-18s %8.2f ms%n",
                e.getKey(), nodeOp.get(e.getKey()), e.getValue())));
        return sb.toString();
    }

    /**
     * Flops (2 per multiply-add) of a node that multiplies matrices, from its recorded input and output shapes; 0
     * for other operators. MatMul-like nodes: batch x M x N x K, with K read off the first input (the only factor
     * of its matrix besides M, whether or not the node transposes it).
     */
    static double multiplyAddFlops(String op, List<long[]> in, List<long[]> out) {
        if (in.isEmpty() || out.isEmpty()) {
            return 0;
        }
        long[] y = out.get(0);
        switch (op) {
            case "Conv" -> {
                long[] w = in.get(1);
                return 2.0 * numel(y) * w[1] * (numel(w) / (w[0] * w[1]));
            }
            case "ConvTranspose" -> {
                long[] w = in.get(1);
                return 2.0 * numel(in.get(0)) * numel(w) / w[0];
            }
            case "MatMul", "FusedMatMul", "Gemm" -> {
                long[] a = in.get(0);
                if (a.length < 2 || y.length < 2) {
                    return 0;
                }
                long m = y[y.length - 2];
                long k = a[a.length - 1] * a[a.length - 2] / m;
                return 2.0 * numel(y) * k;
            }
            default -> {
                return 0;
            }
        }
    }

    private static List<long[]> shapes(JsonNode typeShapes) {
        List<long[]> shapes = new ArrayList<>();
        for (JsonNode typed : typeShapes) {
            typed.elements().forEachRemaining(dims -> {
                long[] d = new long[dims.size()];
                for (int i = 0; i < d.length; i++) {
                    d[i] = dims.get(i).asLong();
                }
                shapes.add(d);
            });
        }
        return shapes;
    }

    private static long numel(long[] shape) {
        return Arrays.stream(shape).reduce(1, (a, b) -> a * b);
    }

    private static double median(List<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
    }
}
