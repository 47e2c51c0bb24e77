package org.automixonnx.cli;

import static org.automixonnx.cli.BadInputTest.cifar;
import static org.automixonnx.cli.BadInputTest.idx;
import static org.automixonnx.cli.BadInputTest.mnist;
import static org.automixonnx.cli.BadInputTest.mnistRun;
import static org.automixonnx.cli.BadInputTest.row;
import static org.automixonnx.cli.BadInputTest.train;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.automixonnx.cli.BadInputTest.Fixture;
import org.automixonnx.onnx.proto.OnnxProto.AttributeProto;
import org.automixonnx.onnx.proto.OnnxProto.GraphProto;
import org.automixonnx.onnx.proto.OnnxProto.ModelProto;
import org.automixonnx.onnx.proto.OnnxProto.NodeProto;
import org.automixonnx.onnx.proto.OnnxProto.OperatorSetIdProto;
import org.automixonnx.onnx.proto.OnnxProto.TensorProto;
import org.automixonnx.onnx.proto.OnnxProto.TensorShapeProto;
import org.automixonnx.onnx.proto.OnnxProto.TypeProto;
import org.automixonnx.onnx.proto.OnnxProto.ValueInfoProto;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Inputs that declare more than memory holds, or graphs too large to train, one row each: refused within seconds
 * with one line naming the file, before anything large is allocated. The fixtures cost no memory or disk: a gzip of
 * a header claiming huge dimensions, sparse files, an ONNX chain of small nodes.
 */
class BoundedInputTest {
    @TempDir
    Path dir;

    /** Refusals must come from checks, not from filling the heap: generous for a busy 2-core machine. */
    static final long SECONDS = 60;

    static byte[] gzip(byte[] header, long zeros) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (OutputStream gz = new GZIPOutputStream(b)) {
            gz.write(header);
            byte[] block = new byte[1 << 20];
            for (long left = zeros; left > 0; left -= block.length) {
                gz.write(block, 0, (int) Math.min(block.length, left));
            }
        }
        return b.toByteArray();
    }

    /** An MNIST folder whose gzipped training images are {@code gz} (the other files as BadInputTest writes them). */
    static Path mnistWithImages(Path dir, byte[] gz) throws IOException {
        Path m = mnist(dir, 28, 28, RunInputTest.labels());
        Files.delete(m.resolve("train-images-idx3-ubyte"));
        Files.write(m.resolve("train-images-idx3-ubyte.gz"), gz);
        return m;
    }

    /** A file of {@code bytes} that holds no data blocks (the file system stores it sparse). */
    static Path sparse(Path file, long bytes) throws IOException {
        try (RandomAccessFile r = new RandomAccessFile(file.toFile(), "rw")) {
            r.setLength(bytes);
        }
        return file;
    }

    static ValueInfoProto tensor(String name, long... dims) {
        TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
        for (long d : dims) {
            s.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(1).setShape(s))).build();
    }

    /**
     * A classifier of 1x8x8 images into 2 classes: {@code relus} Relu nodes in a chain, then Flatten and a Gemm whose
     * weight has the dimensions {@code weightDims} and 128 float values.
     */
    static Path chain(Path file, int relus, long... weightDims) throws IOException {
        GraphProto.Builder g = GraphProto.newBuilder().setName("chain").addInput(tensor("x", 1, 1, 8, 8));
        String previous = "x";
        for (int i = 0; i < relus; i++) {
            g.addNode(NodeProto.newBuilder().setOpType("Relu").setName("relu" + i).addInput(previous).addOutput("r" + i));
            previous = "r" + i;
        }
        g.addNode(NodeProto.newBuilder().setOpType("Flatten").setName("flatten").addInput(previous).addOutput("f"));
        TensorProto.Builder w = TensorProto.newBuilder().setName("fc.weight").setDataType(1);
        for (long d : weightDims) {
            w.addDims(d);
        }
        for (int i = 0; i < 128; i++) {
            w.addFloatData(0.01f * i);
        }
        g.addInitializer(w);
        g.addInitializer(TensorProto.newBuilder().setName("fc.bias").setDataType(1).addDims(2)
                .setRawData(ByteString.copyFrom(new byte[8])));
        g.addNode(NodeProto.newBuilder().setOpType("Gemm").setName("fc").addInput("f").addInput("fc.weight")
                .addInput("fc.bias").addOutput("logits").addAttribute(AttributeProto.newBuilder().setName("transB")
                        .setType(AttributeProto.AttributeType.INT).setI(1)));
        g.addOutput(tensor("logits", 1, 2));
        ModelProto m = ModelProto.newBuilder().setIrVersion(8).addOpsetImport(OperatorSetIdProto.newBuilder()
                .setDomain("").setVersion(17)).setGraph(g).build();
        Files.write(file, m.toByteArray());
        return file;
    }

    static List<String> graphs(Path dir, Path modelFile) {
        return List.of("graphs", "--model-file", modelFile.toString(), "--channels", "1", "--image-size", "8",
                "--classes", "2", "--out", dir.resolve("g").toString());
    }

    static Stream<Arguments> rows() {
        return Stream.of(
                row("gzipped IDX whose header claims 2^31 x 28 x 28 images",
                        "train-images-idx3-ubyte.gz: its IDX header declares [2147483647, 28, 28] = 1683627179248"
                                + " values, which needs 1683.6 GB, more than the",
                        d -> mnistRun(d, mnistWithImages(d, gzip(idx(new int[] {Integer.MAX_VALUE, 28, 28},
                                new byte[0]), 1 << 20)))),
                row("gzipped IDX whose header dimensions overflow a long",
                        "its IDX header declares [2147483647, 2147483647, 2147483647]",
                        d -> mnistRun(d, mnistWithImages(d, gzip(ByteBuffer.allocate(16).putInt(0x0803)
                                .putInt(Integer.MAX_VALUE).putInt(Integer.MAX_VALUE).putInt(Integer.MAX_VALUE)
                                .array(), 0)))),
                row("gzipped IDX inflating far past its header", "has trailing bytes (header says 15680 values",
                        d -> mnistRun(d, mnistWithImages(d, gzip(idx(new int[] {20, 28, 28}, new byte[0]),
                                200L << 20)))),
                row("CIFAR file larger than the heap", "data_batch_1.bin holds 3000000 CIFAR records (3000000 images"
                        + " with the files before it), which needs", d -> {
                            Path c = cifar(d, 0, 2 * 3073);
                            sparse(c.resolve("data_batch_1.bin"), 3073L * 3_000_000);
                            return train(d, "--dataset", "cifar10", "--data", c.toString());
                        }),
                row("CIFAR files larger than one array together", "holds 500000 CIFAR records (1000000 images with the"
                        + " files before it), which needs 3.1 GB", d -> {
                            Path c = cifar(d, 0, 2 * 3073);
                            sparse(c.resolve("data_batch_1.bin"), 3073L * 500_000);
                            sparse(c.resolve("data_batch_2.bin"), 3073L * 500_000);
                            return train(d, "--dataset", "cifar10", "--data", c.toString());
                        }),
                row("ONNX model file of 3 GB", "huge.onnx is 3000000000 bytes, which needs 3.0 GB, more than the", d -> {
                    Path m = mnist(d, 28, 28, RunInputTest.labels());
                    return train(d, "--dataset", "mnist", "--data", m.toString(), "--model-file",
                            sparse(d.resolve("huge.onnx"), 3_000_000_000L).toString());
                }),
                row("ONNX model of 20,000 chained nodes", "has 20002 nodes; at most 5000 can be imported",
                        d -> graphs(d, chain(d.resolve("chain.onnx"), 20_000, 2, 64))),
                row("ONNX model 2,500 nodes deep", "is 2502 nodes deep (its longest chain of nodes); at most 2000",
                        d -> graphs(d, chain(d.resolve("chain.onnx"), 2_500, 2, 64))),
                row("ONNX tensor whose shape claims 10^18 values", "tensor 'fc.weight' has 128 values for shape"
                        + " [1000000000,1000000000]",
                        d -> graphs(d, chain(d.resolve("chain.onnx"), 1, 1_000_000_000L, 1_000_000_000L))));
    }

    /** A heap too small for the model: one line naming the step that ran out, no stack trace, no run folder. */
    @Test
    void runningOutOfHeapIsOneLineNamingTheStep() throws Exception {
        Path run = dir.resolve("run");
        Path log = dir.resolve("child.log");
        Process p = ChildCli.command("48m", "train", "--out", run.toString(), "--model", "resnet18-cifar", "--method",
                "vanilla", "--epochs", "1", "--train-limit", "100", "--test-limit", "100", "--no-progress")
                .redirectError(log.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "the child did not end");
        String err = Files.readString(log);
        assertEquals(1, p.exitValue(), err);
        assertEquals(1, err.lines().count(), err);
        assertTrue(err.matches("automix-onnx: error: out of memory while building the graphs of vanilla for resnet18-cifar:"
                + " it needs more than the \\d+ MB of the Java heap \\(raise it with JAVA_OPTS=-Xmx...\\)\\s*"), err);
        assertFalse(Files.exists(run));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void oversizedInputIsRefusedWithinSeconds(String what, String message, Fixture fixture) throws Exception {
        List<String> args = fixture.args(dir);
        long start = System.nanoTime();
        BadInputTest.assertRefused(dir, what, message, d -> args);
        long seconds = (System.nanoTime() - start) / 1_000_000_000L;
        assertTrue(seconds < SECONDS, what + ": took " + seconds + " s");
    }
}
