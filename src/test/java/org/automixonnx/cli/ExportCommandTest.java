package org.automixonnx.cli;

import static org.automixonnx.cli.CliCall.run;
import static org.automixonnx.testing.TensorAssert.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.automixonnx.cli.CliCall.Run;
import org.automixonnx.graphs.EvalGraph;
import org.automixonnx.graphs.Network;
import org.automixonnx.graphs.StepGraph;
import org.automixonnx.importer.OnnxClassifier;
import org.automixonnx.models.ModelZoo;
import org.automixonnx.onnx.Model;
import org.automixonnx.onnx.OnnxIO;
import org.automixonnx.onnx.Shape;
import org.automixonnx.onnx.Tensor;
import org.automixonnx.runtime.GraphSession;
import org.automixonnx.runtime.StateFile;
import org.automixonnx.testing.FixtureFile;
import org.automixonnx.testing.TrainedState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code automix-onnx export} end to end: checkpoint state file in, inference ONNX model out. */
class ExportCommandTest {
    static final String ARCH = "resnet18-cifar-w0.0625";

    @TempDir
    Path dir;

    static Tensor evalLogits(Network net, Map<String, Tensor> state, Tensor x, int size) {
        StepGraph eval = new EvalGraph(net, 3, size, size).initialState(state).build();
        Map<String, Tensor> feeds = new HashMap<>(eval.initialState());
        feeds.put("x", x);
        feeds.put("y", Tensor.ofLongs(Shape.of(x.shape().dim(0)), new long[(int) x.shape().dim(0)]));
        try (GraphSession s = new GraphSession(eval.model())) {
            return s.run(feeds).get("logits");
        }
    }

    /** A zoo-model checkpoint as the trainer writes it; returns the state. */
    static Map<String, Tensor> writeZooRun(Path runDir) throws Exception {
        Network net = ModelZoo.create(ARCH, 3, 4);
        Map<String, Tensor> state = TrainedState.randomise(new EvalGraph(net, 3, 16, 16).build().initialState(), 4);
        var meta = StateFile.newMeta().put("architecture", ARCH).put("channels", 3).put("image_size", 16)
                .put("classes", 4).put("method", "mixup");
        meta.putArray("class_names").add("airplane").add("bird").add("cat").add("dog");
        meta.putArray("mean").add(0.49).add(0.48).add(0.45);
        meta.putArray("std").add(0.25).add(0.24).add(0.26);
        Map<String, Tensor> withOptimizer = new HashMap<>(state);
        withOptimizer.put("momentum.fc.weight", Tensor.filled(Shape.of(4, 32), 1f));
        StateFile.write(runDir.resolve("last.state"), withOptimizer, meta);
        return state;
    }

    static Tensor images(int n, int size) {
        float[] v = new float[n * 3 * size * size];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) Math.sin(i * 0.37);
        }
        return Tensor.ofFloats(Shape.of(n, 3, size, size), v);
    }

    @Test
    void exportsAZooRunWithFoldedBatchNormAndProbabilities() throws Exception {
        Map<String, Tensor> state = writeZooRun(dir);
        Path out = dir.resolve("model.onnx");
        Run r = run("export", "--run", dir.toString(), "--out", out.toString(), "--fold-bn", "--softmax");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("wrote " + out), r.out());
        Model m = OnnxIO.read(out);
        assertEquals("[\"airplane\",\"bird\",\"cat\",\"dog\"]", m.metadata().get("class_names"));
        assertEquals("mixup", m.metadata().get("method"));
        assertEquals(ARCH, m.metadata().get("architecture"));
        Tensor x = images(3, 16);
        try (GraphSession s = new GraphSession(m)) {
            Map<String, Tensor> o = s.run(Map.of("input", x));
            assertClose("exported", evalLogits(ModelZoo.create(ARCH, 3, 4), state, x, 16), o.get("logits"), 1e-4);
            assertEquals(3 * 4, o.get("probabilities").numel());
        }
    }

    @Test
    void exportsAnImportedModelRun() throws Exception {
        Path onnx = Path.of("testdata/onnx/user_resnet.onnx").toAbsolutePath();
        OnnxClassifier net = OnnxClassifier.load(onnx, null);
        Map<String, Tensor> state = new EvalGraph(net, 3, 16, 16).build().initialState();
        StateFile.write(dir.resolve("last.state"), state, StateFile.newMeta().put("model_file", onnx.toString())
                .put("channels", 3).put("image_size", 16).put("classes", 4));
        Path out = dir.resolve("user.onnx");
        assertEquals(0, run("export", "--run", dir.toString(), "--out", out.toString()).code());
        FixtureFile fx = FixtureFile.read(Path.of("testdata/fixtures/user_resnet_eval.bin"));
        try (GraphSession s = new GraphSession(OnnxIO.read(out))) {
            assertClose("imported + exported", fx.get("logits"), s.run(Map.of("input", fx.get("x"))).get("logits"),
                    1e-5);
        }
    }

    @Test
    void badRunsFailWithOneLine() throws Exception {
        writeZooRun(dir);
        Path ckpt = dir.resolve("last.state");
        byte[] all = Files.readAllBytes(ckpt);
        Files.write(ckpt, Arrays.copyOf(all, all.length - 100));
        Run truncated = run("export", "--run", dir.toString(), "--out", dir.resolve("m.onnx").toString());
        assertEquals(Main.EXIT_FAILURE, truncated.code());
        assertTrue(truncated.err().contains("truncated"), truncated.err());

        Run empty = run("export", "--run", dir.resolve("nothing").toString(), "--out", "m.onnx");
        assertTrue(empty.err().contains("no run folder or state file"), empty.err());

        StateFile.write(ckpt, Map.of("x", Tensor.scalar(1f)), StateFile.newMeta().put("channels", 3));
        Run noModel = run("export", "--run", ckpt.toString(), "--out", dir.resolve("m.onnx").toString());
        assertTrue(noModel.err().contains("neither 'architecture' nor 'model_file'"), noModel.err());

        writeZooRun(dir);
        Run badHead = run("export", "--run", dir.toString(), "--out", dir.resolve("m.onnx").toString(), "--head", "mix");
        assertEquals(Main.EXIT_FAILURE, badHead.code());
        assertTrue(badHead.err().contains("single head"), badHead.err());
        Run teacher = run("export", "--run", dir.toString(), "--out", dir.resolve("m.onnx").toString(), "--encoder", "k");
        assertTrue(teacher.err().contains("--encoder q"), teacher.err());
        assertTrue(!Files.exists(dir.resolve("m.onnx")));
    }
}
