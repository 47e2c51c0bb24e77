package org.automixonnx.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.automixonnx.graphs.StepGraph;
import org.automixonnx.mixup.MaskStatistics;
import org.automixonnx.mixup.MixBlock;
import org.automixonnx.mixup.MixBlockMaskGraph;
import org.automixonnx.models.ResNet;
import org.automixonnx.models.ResNetConfig;
import org.automixonnx.onnx.Shape;
import org.automixonnx.onnx.Tensor;
import org.automixonnx.runtime.SessionFactory;
import org.junit.jupiter.api.Test;

class MixGridTest {
    /** With a zero value conv the MixBlock's mask is sigmoid(v.bias) everywhere: check the drawn tiles. */
    @Test
    void constantMaskBlendsThePairAndDrawsTheMask() {
        ResNet net = new ResNet(ResNetConfig.resnet18Cifar(3).withBaseWidth(4).withInChannels(1).withBlocks(1, 1, 1, 1));
        long[] image = {1, 8, 8};
        StepGraph g = MixBlockMaskGraph.build(net, "l3", MixBlock.Options.DEFAULT, 2, image);
        Map<String, Tensor> state = new HashMap<>(g.initialState());
        state.put("mixblock.v.weight", Tensor.zeros(org.automixonnx.onnx.DType.FLOAT, state.get("mixblock.v.weight").shape()));
        float bias = (float) Math.log(0.25 / 0.75); // sigmoid(bias) = 0.25: a quarter of B
        state.put("mixblock.v.bias", Tensor.ofFloats(Shape.of(1), new float[] {bias}));
        float[] images = new float[2 * 64];
        for (int i = 0; i < 64; i++) {
            images[i] = 0f; // A: black (mean 0, std 1 -> pixel 0)
            images[64 + i] = 1f; // B: white
        }
        int scale = 2;
        MixGrid.Drawing drawing = MixGrid.render(g, state, images, new long[] {1, 0}, 2, image, new float[] {0f},
                new float[] {1f}, scale, SessionFactory.cpu());
        BufferedImage img = drawing.image();
        int tile = 8 * scale;
        int row = 18;
        int mixX = 2 * (tile + 2) + 3;
        assertEquals(64, img.getRGB(mixX, row + 3) & 0xff, "mix of black A with a quarter of white B");
        assertEquals(64, img.getRGB(mixX + tile + 2, row + 3) & 0xff, "mask drawn as gray 0.25");
        assertEquals(0, img.getRGB(3, row + 3) & 0xff, "A tile");
        assertEquals(255, img.getRGB(tile + 5, row + 3) & 0xff, "B tile");
        assertEquals(191, img.getRGB(mixX, row + tile + 2 + 3) & 0xff, "second pair: white A, a quarter of black B");
        // the mask s = 0.25 at every lambda: flat, never binary, a gap of |0.25 - (1 - lam)|
        for (int k = 0; k < MixGrid.LAMBDAS.length; k++) {
            MaskStatistics st = drawing.perLambda().get(k);
            assertEquals(2, st.masks());
            assertEquals(0, st.std(), 1e-6);
            assertEquals(0, st.binary());
            assertEquals(Math.abs(0.25 - (1 - MixGrid.LAMBDAS[k])), st.gap(), 1e-6);
        }
        List<String> report = drawing.report();
        assertEquals(1 + MixGrid.LAMBDAS.length, report.size());
        assertEquals(MixGrid.LEGEND, report.get(0));
        assertEquals("lam 0.3  mask_gap 0.4500  mask_std 0.0000  mask_binary 0.0000", report.get(2));
    }

    @Test
    void drawsOnlyTheRowsAskedFor() {
        ResNet net = new ResNet(ResNetConfig.resnet18Cifar(3).withBaseWidth(4).withInChannels(1).withBlocks(1, 1, 1, 1));
        long[] image = {1, 8, 8};
        StepGraph g = MixBlockMaskGraph.build(net, "l3", MixBlock.Options.DEFAULT, 4, image);
        int scale = 1;
        MixGrid.Drawing drawing = MixGrid.render(g, g.initialState(), new float[4 * 64], new long[] {2, 3, 0, 1}, 2,
                image, new float[] {0f}, new float[] {1f}, scale, SessionFactory.cpu());
        assertEquals(18 + 2 * (8 + 2), drawing.image().getHeight(), "two of the four pairs");
        assertEquals(2, drawing.perLambda().get(0).masks(), "statistics of the drawn masks only");
    }

    /** A drawing larger than the heap (or one image) is refused before a pixel is allocated, naming its size. */
    @Test
    void drawingBeyondTheHeapIsRefusedNamingItsSize() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MixGrid.render(null, Map.of(), new float[0], new long[64], 64, new long[] {3, 8192, 8192},
                        new float[3], new float[3], 16, null));
        // 12 tiles of 8192 x 16 pixels and a 2-pixel gap across, 64 such rows under an 18-pixel label down
        assertTrue(e.getMessage().startsWith("a drawing of 64 pairs at scale 16 is 1572888x8388754 pixels, which needs"),
                e.getMessage());
        assertTrue(e.getMessage().endsWith("; use a smaller --scale or fewer --pairs"), e.getMessage());
    }
}
