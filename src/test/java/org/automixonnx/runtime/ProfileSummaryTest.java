package org.automixonnx.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Kernel time per operator from an ORT trace: node medians over runs, and the rate of the multiply-add operators. */
class ProfileSummaryTest {
    @TempDir
    Path dir;

    private static String kernel(String node, String op, long micros, String in, String out) {
        return "{\"cat\":\"Node\",\"name\":\"" + node + "_kernel_time\",\"dur\":" + micros + ",\"args\":{\"op_name\":\""
                + op + "\",\"input_type_shape\":" + in + ",\"output_type_shape\":" + out + "}}";
    }

    @Test
    void aSlowFirstRunDoesNotCountAndConvAndMatMulRatesComeFromTheirShapes() throws Exception {
        // three runs: the first one slow (warm-up), as a session's first steps are
        String conv = "[{\"float\":[10,4,8,8]},{\"float\":[6,4,3,3]}]";
        String convOut = "[{\"float\":[10,6,8,8]}]";
        String mm = "[{\"float\":[2,5,7]},{\"float\":[2,7,3]}]";
        String mmOut = "[{\"float\":[2,5,3]}]";
        StringBuilder trace = new StringBuilder("[");
        long[][] micros = {{50_000, 2_000}, {1_000, 100}, {1_200, 300}};
        for (long[] run : micros) {
            trace.append("{\"cat\":\"Session\",\"name\":\"model_run\",\"dur\":1},")
                    .append(kernel("c/Conv", "Conv", run[0], conv, convOut)).append(',')
                    .append(kernel("m/MatMul", "MatMul", run[1], mm, mmOut)).append(',');
        }
        trace.append("{\"cat\":\"Session\",\"name\":\"end\",\"dur\":1}]");
        Path file = dir.resolve("p.json");
        Files.writeString(file, trace.toString());

        ProfileSummary s = ProfileSummary.read(file);
        assertEquals(3, s.runs());
        assertEquals(List.of(Map.entry("Conv", 1.2), Map.entry("MatMul", 0.3)), s.perOperator(), "medians in ms");
        double convFlops = 2.0 * 10 * 6 * 8 * 8 * 4 * 9;
        double matmulFlops = 2.0 * 2 * 5 * 3 * 7;
        assertEquals(convFlops / 1.2e6, s.gflopsPerSecond().get("Conv"), 1e-9);
        assertEquals(matmulFlops / 0.3e6, s.gflopsPerSecond().get("MatMul"), 1e-9);
        String table = s.table(5);
        assertTrue(table.startsWith("kernel time per step: 1.5 ms over 3 profiled runs"), table);
        assertTrue(table.contains("c/Conv"), table);
    }

    @Test
    void flopsOfEachMultiplyAddOperator() {
        // grouped conv (2 groups): each output sums Cin/g * kh * kw products
        assertEquals(2.0 * (1 * 8 * 5 * 5) * (2 * 3 * 3), ProfileSummary.multiplyAddFlops("Conv",
                List.of(new long[] {1, 4, 5, 5}, new long[] {8, 2, 3, 3}), List.of(new long[] {1, 8, 5, 5})));
        // transposed conv: every input element meets Cout/g * kh * kw weights
        assertEquals(2.0 * (2 * 6 * 4 * 4) * (3 * 3 * 3), ProfileSummary.multiplyAddFlops("ConvTranspose",
                List.of(new long[] {2, 6, 4, 4}, new long[] {6, 3, 3, 3}), List.of(new long[] {2, 3, 9, 9})));
        // a transposed first operand ([K, M] = [7, 5]) gives the same K
        assertEquals(2.0 * 5 * 3 * 7, ProfileSummary.multiplyAddFlops("FusedMatMul",
                List.of(new long[] {7, 5}, new long[] {7, 3}), List.of(new long[] {5, 3})));
        assertEquals(0, ProfileSummary.multiplyAddFlops("Relu", List.of(new long[] {4}), List.of(new long[] {4})));
        assertEquals(2.0 * 4 * 2 * 6, ProfileSummary.multiplyAddFlops("Gemm", List.of(new long[] {4, 6},
                new long[] {6, 2}), List.of(new long[] {4, 2})));
    }
}
