package org.automixonnx.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.automixonnx.train.RunFolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Outputs that would destroy what is not the tool's, one row each: the command fails with one line naming the
 * option, the path and why, and everything the row protects is exactly as it was (same files, same bytes, a
 * device node still a device node).
 */
class SafeOutputsTest {
    @TempDir
    Path dir;

    /** A command line and the paths it must leave untouched. */
    record Case(List<String> args, List<Path> untouched) {
    }

    interface Fixture {
        Case build(Path dir) throws Exception;
    }

    static final List<String> TINY = List.of("--model", "resnet18-cifar-w0.125", "--epochs", "1", "--batch-size", "10",
            "--train-limit", "20", "--test-limit", "10", "--no-progress");

    static List<String> command(String command, Path out, String... more) {
        List<String> a = new ArrayList<>(List.of(command, "--out", out.toString()));
        a.addAll(List.of(more));
        a.addAll(TINY);
        return a;
    }

    /** A run folder as train creates it (marked, empty apart from that), holding {@code files}. */
    static Path runFolder(Path dir, String... files) throws Exception {
        RunFolder.checkNew(dir, false, List.of()).create().close();
        for (String f : files) {
            Files.writeString(dir.resolve(f), "the run's " + f);
        }
        return dir;
    }

    static Path folderWithNotes(Path dir) throws Exception {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("notes.txt"), "mine");
        return dir;
    }

    static final Path WORKING = Path.of("").toAbsolutePath();

    static Arguments row(String what, int code, String message, Fixture f) {
        return Arguments.of(what, code, message, f);
    }

    static Stream<Arguments> rows() {
        return Stream.of(
                row("--force on the data folder", 1, "it is --data", d -> {
                    Path data = BadInputTest.mnist(d, 28, 28, new byte[20]);
                    return new Case(command("train", data, "--force", "--dataset", "mnist", "--data", data.toString()),
                            List.of(data));
                }),
                row("--force on a folder holding the data folder", 1, "it contains --data", d -> {
                    Path data = BadInputTest.mnist(runFolder(d.resolve("run")), 28, 28, new byte[20]);
                    return new Case(command("train", d.resolve("run"), "--force", "--dataset", "mnist", "--data",
                            data.toString()), List.of(d.resolve("run")));
                }),
                row("--force on a run folder holding the config file", 1, "it contains --config", d -> {
                    Path run = runFolder(d.resolve("run"), "config.yaml");
                    Files.writeString(run.resolve("config.yaml"), "method: vanilla\n");
                    return new Case(command("train", run, "--force", "--config", run.resolve("config.yaml").toString()),
                            List.of(run));
                }),
                row("--force on the working folder", 1, "it is the working folder",
                        d -> new Case(command("train", WORKING, "--force"), List.of(Path.of("pom.xml")))),
                row("--force on an ancestor of the working folder", 1, "it is an ancestor of the working folder",
                        d -> new Case(command("train", WORKING.getParent(), "--force"), List.of(Path.of("pom.xml")))),
                row("--force on a folder that is not a run folder", 1, "it is not a run folder", d -> {
                    Path mine = folderWithNotes(d.resolve("mine"));
                    return new Case(command("train", mine, "--force"), List.of(mine));
                }),
                row("--force through a symbolic link to a run folder", 1, "it is a symbolic link", d -> {
                    Path run = runFolder(d.resolve("run"), "last.state");
                    Path link = Files.createSymbolicLink(d.resolve("link"), run);
                    return new Case(command("train", link, "--force"), List.of(run, link));
                }),
                row("empty --out", 2, "an empty path would be the working folder",
                        d -> new Case(List.of("train", "--out", "", "--force"), List.of(Path.of("pom.xml")))),
                row("compare --force on a run folder that is not one", 1, "it is not a run folder", d -> {
                    Path mine = folderWithNotes(d.resolve("cmp").resolve("vanilla-seed0"));
                    return new Case(command("compare", d.resolve("cmp"), "--force", "--methods", "vanilla", "--seeds",
                            "1"), List.of(mine));
                }),
                row("compare --force into the working folder", 1, "will not replace run folders in this folder: it is"
                        + " the working folder", d -> new Case(command("compare", WORKING, "--force", "--methods",
                                "vanilla", "--seeds", "1"), List.of(Path.of("pom.xml")))),
                row("export over a device node", 1, "--out /dev/null: it is not a regular file", d -> {
                    ExportCommandTest.writeZooRun(d);
                    return new Case(List.of("export", "--run", d.toString(), "--out", "/dev/null"),
                            List.of(Path.of("/dev/null")));
                }),
                row("export over a folder", 1, "it is a folder", d -> {
                    ExportCommandTest.writeZooRun(d);
                    Path mine = folderWithNotes(d.resolve("mine"));
                    return new Case(List.of("export", "--run", d.toString(), "--out", mine.toString()), List.of(mine));
                }),
                row("export over a run's checkpoint", 1, "it is a file of the run folder", d -> {
                    Path run = runFolder(d.resolve("run"));
                    ExportCommandTest.writeZooRun(run);
                    return new Case(List.of("export", "--run", run.toString(), "--out",
                            run.resolve("last.state").toString()), List.of(run));
                }),
                row("empty export --out", 2, "an empty path would be the working folder", d -> {
                    ExportCommandTest.writeZooRun(d);
                    return new Case(List.of("export", "--run", d.toString(), "--out", ""), List.of(d));
                }),
                row("visualize over a device node", 1, "--out /dev/null: it is not a regular file",
                        d -> new Case(List.of("visualize", "--run", d.toString(), "--out", "/dev/null"),
                                List.of(Path.of("/dev/null")))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void refusedWithOneLineAndNothingTouched(String what, int code, String message, Fixture fixture) throws Exception {
        Case c = fixture.build(dir);
        List<Map<String, String>> before = new ArrayList<>();
        for (Path p : c.untouched()) {
            before.add(snapshot(p));
        }
        String[] r = CliCall.call(c.args().toArray(String[]::new));
        assertEquals(Integer.toString(code), r[0], what + ": " + r[1] + r[2]);
        String firstLine = r[2].lines().findFirst().orElse("");
        assertTrue(firstLine.contains(message), what + ": expected '" + message + "' in: " + r[2]);
        if (code == Main.EXIT_FAILURE) {
            assertEquals(1, r[2].lines().count(), what + ": one line: " + r[2]);
        }
        for (int i = 0; i < c.untouched().size(); i++) {
            assertEquals(before.get(i), snapshot(c.untouched().get(i)), what + ": " + c.untouched().get(i) + " changed");
        }
    }

    /** Every entry under {@code root} (links not followed): its kind and, for a regular file, its bytes' hash. */
    static Map<String, String> snapshot(Path root) throws Exception {
        Map<String, String> m = new TreeMap<>();
        if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
            m.put(root.toString(), kind(root));
            return m;
        }
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.toList()) {
                m.put(root.relativize(p).toString(), kind(p));
            }
        }
        assertTrue(m.size() > 1, root + " holds something to protect");
        return m;
    }

    private static String kind(Path p) throws Exception {
        if (Files.isSymbolicLink(p)) {
            return "link to " + Files.readSymbolicLink(p);
        } else if (Files.isDirectory(p)) {
            return "folder";
        } else if (Files.isRegularFile(p)) {
            return "file " + Arrays.hashCode(Files.readAllBytes(p));
        }
        return Files.exists(p) ? "other (device, pipe, socket)" : "absent";
    }

    @Test
    void forceReplacesARunFolder() throws Exception {
        Path run = runFolder(dir.resolve("run"), "last.state", "old-notes.txt");
        String[] r = CliCall.call(command("train", run, "--force", "--method", "vanilla").toArray(String[]::new));
        assertEquals("0", r[0], r[2]);
        assertFalse(Files.exists(run.resolve("old-notes.txt")), "the old run's files are gone");
        assertTrue(Files.isRegularFile(run.resolve(RunFolder.MARKER)), "the new run is marked");
        assertEquals("finished", new ObjectMapper().readTree(run.resolve(RunFolder.STATUS).toFile()).get("status")
                .asText());
    }

    @Test
    void exportedModelHasTheUsualPermissionsOfANewFile() throws Exception {
        ExportCommandTest.writeZooRun(dir);
        Path model = dir.resolve("model.onnx");
        String[] r = CliCall.call("export", "--run", dir.toString(), "--out", model.toString());
        assertEquals("0", r[0], r[2]);
        Set<PosixFilePermission> usual = Files.getPosixFilePermissions(Files.createFile(dir.resolve("plain")));
        Set<PosixFilePermission> exported = Files.getPosixFilePermissions(model);
        assertEquals(usual, exported, "0666 less the umask, as any new file (not the 0600 of a temp file)");
        assertTrue(exported.containsAll(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE)),
                exported.toString());
    }
}
