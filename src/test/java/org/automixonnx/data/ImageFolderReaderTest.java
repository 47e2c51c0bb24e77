package org.automixonnx.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFolderReaderTest {
    private static void write(Path f, int w, int h, int rgb, String format) throws IOException {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, rgb);
            }
        }
        Files.createDirectories(f.getParent());
        ImageIO.write(img, format, f.toFile());
    }

    @Test
    void classesAreSortedFolderNamesAndImagesAreResized(@TempDir Path root) throws IOException {
        write(root.resolve("zebra/a.png"), 40, 20, 0x0000ff, "png");
        write(root.resolve("apple/b.png"), 10, 30, 0xff0000, "png");
        write(root.resolve("apple/c.jpg"), 16, 16, 0x00ff00, "jpg");
        Files.writeString(root.resolve("apple/notes.txt"), "not an image");
        ImageDataset d = ImageFolderReader.read(root, 8);
        assertEquals(List.of("apple", "zebra"), d.classNames());
        assertEquals(3, d.size());
        assertEquals(8, d.height());
        assertEquals(0, d.label(0));
        assertEquals(1, d.label(2));
        assertEquals(255, d.pixel(0, 0, 4, 4), "red channel of the red image");
        assertEquals(0, d.pixel(0, 2, 4, 4));
        assertEquals(255, d.pixel(2, 2, 0, 0), "blue image, blue channel, corner after crop");
        assertTrue(d.pixel(1, 1, 4, 4) > 200, "green JPEG stays green");
    }

    @Test
    void emptyClassFolderAndUndecodableImageAreRefused(@TempDir Path root) throws IOException {
        write(root.resolve("a/x.png"), 4, 4, 0, "png");
        Files.createDirectories(root.resolve("b"));
        DatasetException e = assertThrows(DatasetException.class, () -> ImageFolderReader.read(root, 4));
        assertTrue(e.getMessage().contains("contains no images") && e.getMessage().contains("b"), e.getMessage());
        Files.writeString(root.resolve("b/broken.png"), "definitely not a png");
        e = assertThrows(DatasetException.class, () -> ImageFolderReader.read(root, 4));
        assertTrue(e.getMessage().contains("broken.png"), e.getMessage());
    }
}
