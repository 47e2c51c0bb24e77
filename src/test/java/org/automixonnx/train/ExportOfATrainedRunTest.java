package org.automixonnx.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.automixonnx.export.ExportService;
import org.automixonnx.export.RunCheckpoint;
import org.automixonnx.graphs.EvalGraph;
import org.automixonnx.graphs.Network;
import org.automixonnx.models.ImageClassifier;
import org.automixonnx.onnx.Model;
import org.automixonnx.onnx.Shape;
import org.automixonnx.onnx.Tensor;
import org.automixonnx.runtime.GraphSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Export rebuilds, from a checkpoint's metadata, the very network training resolved from its config. */
class ExportOfATrainedRunTest {
    static Map<String, Shape> states(Network net, long[] image) {
        Map<String, Shape> out = new TreeMap<>();
        new EvalGraph(net, image).build().initialState().forEach((name, t) -> out.put(name, t.shape()));
        return out;
    }

    @Test
    void anAutoMixRunExportsTheNetworkItTrained(@TempDir Path dir) throws Exception {
        TrainConfig c = TrainServiceTest.tiny("automix").with(Map.of("model", "resnet18-cifar-w0.0625",
                "trainLimit", 100, "testLimit", 50));
        Path run = dir.resolve("run");
        new TrainService(new PrintWriter(new StringWriter())).trainUntil(c, run, 1);

        RunCheckpoint ckpt = RunCheckpoint.open(run);
        long[] image = ckpt.imageShape();
        assertArrayEquals(new long[] {1, 28, 28}, image);
        ImageClassifier trained = ((ImageClassifier) ModelSource.create(c, run, image, 10)).withTwoHeads(true);
        Network exported = ckpt.network();
        assertEquals(states(trained, image), states(exported, image));

        Model model = new ExportService().build(exported, ckpt.tensors(), ckpt.options(), image);
        try (GraphSession s = new GraphSession(model)) {
            Tensor logits = s.run(Map.of("input", Tensor.filled(Shape.of(2, 1, 28, 28), 0.5f))).get("logits");
            assertArrayEquals(new long[] {2, 10}, logits.shape().dims());
            for (float v : logits.floats()) {
                assertTrue(Float.isFinite(v), "the trained teacher's logits");
            }
        }
        assertEquals("automix", model.metadata().get("method"));
        assertEquals("resnet18-cifar-w0.0625", model.metadata().get("architecture"));
    }
}
