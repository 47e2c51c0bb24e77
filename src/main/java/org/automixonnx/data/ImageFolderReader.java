package org.automixonnx.data;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.automixonnx.onnx.HeapBudget;

/**
 * Reads an ImageFolder tree ({@code root/<class>/<image>.jpg|png}, classes in sorted folder-name order, as
 * torchvision does) into memory as RGB at a fixed square storage size: each image is resized so its
 * shorter side is {@code size}, then centre-cropped. Training augmentation (random-resized-crop) and test
 * cropping work from there.
 */
public final class ImageFolderReader {
    private static final List<String> EXTENSIONS = List.of(".jpg", ".jpeg", ".png", ".bmp", ".gif");

    private ImageFolderReader() {
    }

    public static ImageDataset read(Path root, int size) throws IOException {
        if (!Files.isDirectory(root)) {
            throw new DatasetException("image folder not found: " + root);
        }
        List<Path> classDirs;
        try (Stream<Path> s = Files.list(root)) {
            classDirs = s.filter(Files::isDirectory).filter(p -> !p.getFileName().toString().startsWith("."))
                    .sorted().toList();
        }
        if (classDirs.isEmpty()) {
            throw new DatasetException(root + " has no class folders (expected root/<class>/<image files>)");
        }
        List<String> names = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (Path d : classDirs) {
            List<Path> images;
            try (Stream<Path> s = Files.list(d)) {
                images = s.filter(Files::isRegularFile).filter(ImageFolderReader::isImage).sorted().toList();
            }
            if (images.isEmpty()) {
                throw new DatasetException("class folder " + d + " contains no images (" + String.join(", ", EXTENSIONS)
                        + ")");
            }
            names.add(d.getFileName().toString());
            for (Path f : images) {
                files.add(f);
                labels.add(names.size() - 1);
            }
        }
        int plane = size * size;
        String tooLarge = HeapBudget.refusal(HeapBudget.product(files.size(), 3, plane));
        if (tooLarge != null) {
            throw new DatasetException(root + ": " + files.size() + " images stored at " + size + "x" + size + " (3 x "
                    + size + " x " + size + " bytes each) " + tooLarge + "; use a smaller image size or fewer images");
        }
        byte[] pixels = new byte[files.size() * 3 * plane];
        for (int i = 0; i < files.size(); i++) {
            BufferedImage img = load(files.get(i));
            BufferedImage sq = resizeCenterCrop(img, size);
            int off = i * 3 * plane;
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    int rgb = sq.getRGB(x, y);
                    pixels[off + y * size + x] = (byte) (rgb >> 16);
                    pixels[off + plane + y * size + x] = (byte) (rgb >> 8);
                    pixels[off + 2 * plane + y * size + x] = (byte) rgb;
                }
            }
        }
        return new ImageDataset(pixels, labels.stream().mapToInt(Integer::intValue).toArray(), 3, size, size, names);
    }

    private static boolean isImage(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return EXTENSIONS.stream().anyMatch(n::endsWith);
    }

    private static BufferedImage load(Path f) {
        try {
            BufferedImage img = ImageIO.read(f.toFile());
            if (img == null) {
                throw new DatasetException("cannot decode image " + f + " (not a readable JPEG/PNG/BMP/GIF)");
            }
            return img;
        } catch (IOException e) {
            throw new DatasetException("cannot read image " + f + ": " + e.getMessage(), e);
        }
    }

    /** Shorter side to {@code size} (bilinear), then the centre {@code size x size} square. */
    static BufferedImage resizeCenterCrop(BufferedImage img, int size) {
        double scale = (double) size / Math.min(img.getWidth(), img.getHeight());
        int w = Math.max(size, (int) Math.round(img.getWidth() * scale));
        int h = Math.max(size, (int) Math.round(img.getHeight() * scale));
        BufferedImage out = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(img, -(w - size) / 2, -(h - size) / 2, w, h, null);
        g.dispose();
        return out;
    }
}
