package org.automixonnx.cli;

import static org.automixonnx.cli.CliCall.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.List;
import org.automixonnx.cli.CliCall.Run;
import org.automixonnx.mixup.MethodRegistry;
import org.automixonnx.mixup.MethodSpec;
import org.automixonnx.train.TrainConfig;
import org.junit.jupiter.api.Test;

class MainTest {
    @Test
    void helpListsTheCommands() {
        Run r = run("--help");
        assertEquals(0, r.code());
        assertTrue(r.out().contains("graphs") && r.out().contains("bench"), r.out());
    }

    @Test
    void versionComesFromTheBuild() {
        Run r = run("--version");
        assertEquals(0, r.code());
        assertTrue(r.out().matches("automix-onnx \\d+\\.\\d+\\.\\d+.*\\s*"), r.out());
    }

    @Test
    void subcommandHelpShowsItsOptions() {
        Run r = run("bench", "--help");
        assertEquals(0, r.code());
        for (String opt : new String[] {"--model", "--batch-size", "--steps", "--warmup", "--threads", "--device",
                "--image-size", "--channels"}) {
            assertTrue(r.out().contains(opt), opt + " missing from\n" + r.out());
        }
        Run g = run("graphs", "--help");
        for (String opt : new String[] {"--model", "--out", "--batch-size", "--classes", "--channels", "--image-size"}) {
            assertTrue(g.out().contains(opt), opt + " missing from\n" + g.out());
        }
    }

    private static String number(double v) {
        return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }

    @Test
    void trainHelpListsEveryRegisteredMethodWithItsDefaults() {
        Run r = run("train", "--help");
        assertEquals(0, r.code());
        String help = r.out().replaceAll("\\s+", " ");
        assertTrue(help.contains("(default: " + new TrainConfig().method + ")"), "the default method in\n" + r.out());
        for (MethodSpec m : MethodRegistry.standard().methods()) {
            assertTrue(help.matches(".*--method.*[ (]" + m.name() + "[ ,.].*"), m.name() + " missing from --method in\n"
                    + r.out());
            if (!Double.isNaN(m.defaultAlpha())) {
                String a = number(m.defaultAlpha());
                String entry = " " + m.name() + " " + a;
                assertTrue(help.contains(entry + ",") || help.contains(entry + "."),
                        m.name() + "'s default alpha " + a + " missing from --alpha in\n" + r.out());
            }
            if (m.defaultMinLr() != 0) {
                assertTrue(help.matches(".*--min-lr.*[ (]" + m.name() + " " + number(m.defaultMinLr()) + "[ ,)].*"),
                        m.name() + "'s default min-lr missing from --min-lr in\n" + r.out());
            }
        }
    }

    @Test
    void compareAndBenchHelpListEveryRegisteredMethod() {
        for (String command : List.of("compare", "bench")) {
            Run r = run(command, "--help");
            assertEquals(0, r.code());
            String help = r.out().replaceAll("\\s+", " ");
            for (String m : MethodRegistry.standard().names()) {
                assertTrue(help.matches(".*--methods?=.*[ (]" + m + "[ ,)].*"), m + " missing from " + command
                        + " --help:\n" + r.out());
            }
        }
    }

    @Test
    void usageErrorsExitWithTwoAndAClearMessage() {
        Run unknown = run("bench", "--model", "m", "--batch-size", "2", "--steps", "1", "--bogus");
        assertEquals(2, unknown.code());
        assertTrue(unknown.err().contains("Unknown option: '--bogus'"), unknown.err());
        Run unknownFirst = run("bench", "--model", "m", "--bogus");
        assertEquals(2, unknownFirst.code());
        assertTrue(unknownFirst.err().contains("--bogus"), unknownFirst.err());
        Run missing = run("bench", "--model", "m");
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("--batch-size"), missing.err());
        Run device = run("bench", "--model", "m", "--batch-size", "2", "--steps", "1", "--device", "tpu");
        assertEquals(2, device.code());
        assertTrue(device.err().contains("unknown device 'tpu'"), device.err());
        Run none = run();
        assertEquals(2, none.code());
        assertTrue(none.err().contains("a command is required (train, compare, eval, visualize, graphs, bench, export)"),
                none.err());
    }

    @Test
    void runtimeFailuresAreOneLineWithoutStackTraceUnlessDebug() {
        Run r = run("bench", "--model", "nosuchnet", "--batch-size", "4", "--steps", "1");
        assertEquals(1, r.code());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("automix-onnx: error: ") && r.err().contains("unknown model 'nosuchnet'"),
                r.err());
        Run d = run("--debug", "graphs", "--model", "nosuchnet", "--out", "/tmp/unused");
        assertEquals(1, d.code());
        assertTrue(d.err().contains("at org.automixonnx.cli.ModelCatalog"), d.err());
        Run d2 = run("graphs", "--model", "nosuchnet", "--out", "/tmp/unused", "--debug");
        assertTrue(d2.err().contains("\tat "), "--debug after the subcommand works too:\n" + d2.err());
    }
}
