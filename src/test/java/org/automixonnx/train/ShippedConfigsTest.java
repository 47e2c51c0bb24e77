package org.automixonnx.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every config shipped in configs/ parses, validates and names a known method. */
class ShippedConfigsTest {
    @Test
    void shippedConfigsAreValid() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(Path.of("configs"))) {
            files = s.filter(p -> p.toString().endsWith(".yaml")).toList();
        }
        assertFalse(files.isEmpty());
        for (Path f : files) {
            TrainConfig c = TrainConfig.read(f).validate();
            RunMethod.spec(c.method);
        }
        TrainConfig paper = TrainConfig.read(Path.of("configs/automix-cifar10-resnet18.yaml"));
        assertEquals(0.999, paper.automix.emaStart);
        assertEquals(0.999999, paper.automix.emaEnd);
        assertEquals(0.05, paper.minLr);
    }
}
