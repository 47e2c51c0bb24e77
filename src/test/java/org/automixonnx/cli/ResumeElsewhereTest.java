package org.automixonnx.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.automixonnx.train.RunFolder;
import org.automixonnx.train.TrainConfig;
import org.automixonnx.train.TrainService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run started with a relative data path and resumed from another working folder, where the same relative path
 * leads to a different data set, trains on its own data: the saved config holds the absolute path.
 */
class ResumeElsewhereTest {
    @TempDir
    Path dir;

    @Test
    void resumeFromAnotherWorkingFolderTrainsOnTheSameData() throws Exception {
        Path working = Path.of("").toAbsolutePath();
        Path data = BadInputTest.mnist(dir.resolve("data"), 28, 28, RunInputTest.labels());
        Path relative = working.relativize(data);
        Path run = dir.resolve("run");
        TrainConfig c = new TrainConfig().with(Map.of("dataset", "mnist", "data", relative.toString(), "method",
                "vanilla", "model", "resnet18-cifar-w0.125", "epochs", 2, "batchSize", 10, "progress", false));
        new TrainService(new PrintWriter(Writer.nullWriter())).trainUntil(c, run, 1);
        assertEquals(data.toString(), TrainConfig.read(run.resolve(RunFolder.CONFIG)).data,
                "config.yaml holds the data folder as an absolute path");

        // from there, the relative path names a decoy: 40 images of 32x32
        Path elsewhere = dir.resolve("elsewhere");
        for (int i = 0; i < working.getNameCount(); i++) {
            elsewhere = elsewhere.resolve("w" + i);
        }
        Files.createDirectories(elsewhere);
        Path decoy = elsewhere.resolve(relative).normalize();
        assertTrue(decoy.startsWith(dir), decoy.toString());
        Files.createDirectories(decoy);
        Files.write(decoy.resolve("train-images-idx3-ubyte"), BadInputTest.idx(new int[] {40, 32, 32},
                new byte[40 * 32 * 32]));
        Files.write(decoy.resolve("train-labels-idx1-ubyte"), BadInputTest.idx(new int[] {40}, new byte[40]));
        Files.write(decoy.resolve("t10k-images-idx3-ubyte"), BadInputTest.idx(new int[] {10, 32, 32},
                new byte[10 * 32 * 32]));
        Files.write(decoy.resolve("t10k-labels-idx1-ubyte"), BadInputTest.idx(new int[] {10}, new byte[10]));

        Path log = dir.resolve("resume.log");
        Process p = ChildCli.command("1g", "train", "--resume", "--out", run.toString(), "--no-progress")
                .directory(elsewhere.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "the resume did not end");
        String output = Files.readString(log);
        assertEquals(0, p.exitValue(), output);
        assertTrue(output.contains("(20 train / 10 test images, 1x28x28)"), output);
        assertEquals(2, Files.readAllLines(run.resolve("metrics.jsonl")).size());
        assertEquals(RunFolder.FINISHED, new ObjectMapper().readTree(run.resolve(RunFolder.STATUS).toFile())
                .get("status").asText());
    }
}
