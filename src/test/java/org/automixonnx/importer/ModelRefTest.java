package org.automixonnx.importer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.automixonnx.graphs.EvalGraph;
import org.automixonnx.models.ImageClassifier;
import org.automixonnx.models.ModelZoo;
import org.automixonnx.onnx.Shape;
import org.junit.jupiter.api.Test;

/** One resolution of a zoo name or a model file, for the commands' options and for a data set. */
class ModelRefTest {
    static final Path FILE = Path.of("testdata/onnx/user_resnet.onnx");  // 3x16x16 images, 4 classes, head fc

    /** State name -> shape of the network's evaluation graph on {@code image}. */
    static Map<String, Shape> states(ImageClassifier net, long... image) {
        Map<String, Shape> out = new TreeMap<>();
        new EvalGraph(net, image).build().initialState().forEach((name, t) -> out.put(name, t.shape()));
        return out;
    }

    @Test
    void aZooNameIsTheZoosModel() {
        ModelRef ref = ModelRef.zoo("resnet18-cifar-w0.0625");
        assertEquals(states(ModelZoo.create("resnet18-cifar-w0.0625", 1, 5, true), 1, 16, 16),
                states(ref.resolveForData(new long[] {1, 16, 16}, 5, true), 1, 16, 16));
        assertEquals(states(ModelZoo.create("resnet18-cifar-w0.0625", 3, 7), 3, 16, 16),
                states(ref.resolve(3, 7, false), 3, 16, 16));
        assertEquals("resnet18-cifar-w0.0625", ref.toString());
    }

    @Test
    void aModelFileGetsANewHeadForAnotherClassCountAndTwoHeadsOnRequest() {
        ModelRef ref = ModelRef.of("ignored-zoo-name", FILE.getFileName().toString(), null, FILE.getParent());
        assertEquals(ModelRef.file(FILE, null), ref);
        Map<String, Shape> own = states(ref.resolve(3, 4, false), 3, 16, 16);
        Map<String, Shape> replaced = states(ref.resolveForData(new long[] {3, 16, 16}, 3, false), 3, 16, 16);
        assertEquals(own.keySet(), replaced.keySet(), "the head keeps the file's name");
        assertEquals(Shape.of(3, own.get("fc.weight").dim(1)), replaced.get("fc.weight"));
        ImageClassifier twoHeads = ref.resolveForData(new long[] {3, 16, 16}, 4, true);
        Map<String, Shape> two = states(twoHeads, 3, 16, 16);
        assertTrue(twoHeads.twoHeads() && two.containsKey("head_one.weight") && !two.containsKey("fc.weight"),
                two.keySet().toString());
    }

    @Test
    void mistakesNameTheFileAndWhatIsExpected() {
        ModelRef ref = ModelRef.file(FILE, null);
        assertMessage("model file " + FILE + " takes 3-channel images; pass --channels 3", () -> ref.resolve(1, 4, false));
        assertMessage("model file " + FILE + " takes 3x16x16 images, the data set has 1x28x28",
                () -> ref.resolveForData(new long[] {1, 28, 28}, 4, false));
        assertMessage("model file " + FILE + " takes 3x16x16 images, the data set has 3x32x32 (image folders: set "
                + "imageSize)", () -> ref.resolveForData(new long[] {3, 32, 32}, 4, false));
        assertMessage("model file not found: no/such.onnx",
                () -> ModelRef.file(Path.of("no/such.onnx"), null).resolve(3, 4, false));
        assertThrows(IllegalArgumentException.class, () -> new ModelRef("resnet18", FILE, null));
        assertThrows(IllegalArgumentException.class, () -> new ModelRef("resnet18", null, "l3"));
    }

    private static void assertMessage(String expected, Runnable resolution) {
        assertEquals(expected, assertThrows(IllegalArgumentException.class, resolution::run).getMessage());
    }
}
