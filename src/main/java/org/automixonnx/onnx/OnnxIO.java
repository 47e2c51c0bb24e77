package org.automixonnx.onnx;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.automixonnx.onnx.proto.OnnxProto.AttributeProto;
import org.automixonnx.onnx.proto.OnnxProto.GraphProto;
import org.automixonnx.onnx.proto.OnnxProto.ModelProto;
import org.automixonnx.onnx.proto.OnnxProto.NodeProto;
import org.automixonnx.onnx.proto.OnnxProto.OperatorSetIdProto;
import org.automixonnx.onnx.proto.OnnxProto.StringStringEntryProto;
import org.automixonnx.onnx.proto.OnnxProto.TensorProto;
import org.automixonnx.onnx.proto.OnnxProto.TensorShapeProto;
import org.automixonnx.onnx.proto.OnnxProto.TypeProto;
import org.automixonnx.onnx.proto.OnnxProto.ValueInfoProto;

/** Converts between our {@link Model} and ONNX protobuf messages, and reads and writes {@code .onnx} files. */
public final class OnnxIO {
    public static final String PRODUCER = "automix-onnx";

    private OnnxIO() {
    }

    // ------------------------------------------------------------------ writing

    public static byte[] toBytes(Model m) {
        return toProto(m).toByteArray();
    }

    public static void write(Model m, Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.write(file, toBytes(m));
    }

    public static ModelProto toProto(Model m) {
        ModelProto.Builder mb = ModelProto.newBuilder()
                .setIrVersion(Model.IR_VERSION)
                .setProducerName(PRODUCER)
                .setProducerVersion(versionString())
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(m.opset()))
                .setGraph(toProto(m.graph()));
        m.metadata().forEach((k, v) -> mb.addMetadataProps(StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
        return mb.build();
    }

    static String versionString() {
        String v = OnnxIO.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    public static GraphProto toProto(Graph g) {
        GraphProto.Builder gb = GraphProto.newBuilder().setName(g.name());
        for (Value v : g.inputs()) {
            gb.addInput(valueInfo(v));
        }
        for (Value v : g.outputs()) {
            gb.addOutput(valueInfo(v));
        }
        g.initializers().forEach((name, t) -> gb.addInitializer(tensorProto(name, t)));
        java.util.Set<String> declared = new java.util.HashSet<>();
        g.inputs().forEach(v -> declared.add(v.name()));
        g.outputs().forEach(v -> declared.add(v.name()));
        declared.addAll(g.initializers().keySet());
        for (Node n : g.nodes()) {
            gb.addNode(nodeProto(n));
            for (String o : n.outputs()) {
                // An imported graph may not know every intermediate type (torch exports omit value_info).
                Value typed = o.isEmpty() || declared.contains(o) ? null : g.values().get(o);
                if (typed != null) {
                    gb.addValueInfo(valueInfo(typed));
                }
            }
        }
        return gb.build();
    }

    static ValueInfoProto valueInfo(Value v) {
        TensorShapeProto.Builder sb = TensorShapeProto.newBuilder();
        for (int i = 0; i < v.rank(); i++) {
            TensorShapeProto.Dimension.Builder d = TensorShapeProto.Dimension.newBuilder();
            if (v.dim(i) >= 0) {
                d.setDimValue(v.dim(i));
            } else if (v.shape().param(i) != null) {
                d.setDimParam(v.shape().param(i));
            }
            sb.addDim(d);
        }
        TypeProto.Tensor tt = TypeProto.Tensor.newBuilder().setElemType(v.dtype().onnxCode).setShape(sb).build();
        return ValueInfoProto.newBuilder().setName(v.name()).setType(TypeProto.newBuilder().setTensorType(tt)).build();
    }

    public static TensorProto tensorProto(String name, Tensor t) {
        TensorProto.Builder tb = TensorProto.newBuilder().setDataType(t.dtype().onnxCode);
        if (name != null) {
            tb.setName(name);
        }
        for (long d : t.shape().dims()) {
            tb.addDims(d);
        }
        tb.setRawData(ByteString.copyFrom(t.bytes()));
        return tb.build();
    }

    static NodeProto nodeProto(Node n) {
        NodeProto.Builder nb = NodeProto.newBuilder().setName(n.name()).setOpType(n.opType());
        if (!n.domain().isEmpty()) {
            nb.setDomain(n.domain());
        }
        nb.addAllInput(n.inputs()).addAllOutput(n.outputs());
        n.attributes().forEach((k, a) -> nb.addAttribute(attributeProto(k, a)));
        return nb.build();
    }

    static AttributeProto attributeProto(String name, Attribute a) {
        AttributeProto.Builder ab = AttributeProto.newBuilder().setName(name);
        switch (a.kind()) {
            case INT -> ab.setType(AttributeProto.AttributeType.INT).setI(a.asInt());
            case FLOAT -> ab.setType(AttributeProto.AttributeType.FLOAT).setF(a.asFloat());
            case STRING -> ab.setType(AttributeProto.AttributeType.STRING).setS(ByteString.copyFromUtf8(a.asString()));
            case INTS -> {
                ab.setType(AttributeProto.AttributeType.INTS);
                for (long v : a.asInts()) {
                    ab.addInts(v);
                }
            }
            case FLOATS -> {
                ab.setType(AttributeProto.AttributeType.FLOATS);
                for (float v : a.asFloats()) {
                    ab.addFloats(v);
                }
            }
            case STRINGS -> {
                ab.setType(AttributeProto.AttributeType.STRINGS);
                for (String s : a.asStrings()) {
                    ab.addStrings(ByteString.copyFromUtf8(s));
                }
            }
            case TENSOR -> ab.setType(AttributeProto.AttributeType.TENSOR).setT(tensorProto(null, a.asTensor()));
        }
        return ab.build();
    }

    // ------------------------------------------------------------------ reading

    /**
     * Reads an {@code .onnx} file. Its size is checked against the heap first ({@link HeapBudget}); a file that
     * passes but still does not fit once decoded fails naming the file, as does every other problem.
     */
    public static Model read(Path file) throws IOException {
        if (Files.isDirectory(file)) {
            throw new OnnxException(file + " is a folder, not an ONNX file");
        }
        if (Files.exists(file) && !Files.isRegularFile(file)) {
            // a device such as /dev/zero would be read forever
            throw new OnnxException(file + " is not a regular file (a device, pipe or socket), not an ONNX file");
        }
        byte[] bytes;
        try {
            String tooLarge = HeapBudget.refusal(Files.size(file));
            if (tooLarge != null) {
                throw new OnnxException(file + " is " + Files.size(file) + " bytes, which " + tooLarge
                        + " (models over 2 GB keep their weights as external data, which is not supported)");
            }
            bytes = Files.readAllBytes(file);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new OnnxException("ONNX file not found: " + file);
        }
        try {
            return fromBytes(bytes);
        } catch (OnnxException e) {
            throw new OnnxException(file + ": " + e.getMessage(), e);
        } catch (OutOfMemoryError e) {
            bytes = null; // what failed to fit is garbage now; the message needs little
            throw new OnnxException(file + ": the decoded model (" + Files.size(file) + " bytes on disk) does not fit"
                    + " in " + HeapBudget.heapLimit(), e);
        }
    }

    public static Model fromBytes(byte[] bytes) {
        ModelProto mp;
        try {
            mp = ModelProto.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new OnnxException("not a valid ONNX model (protobuf decoding failed: " + e.getMessage() + ")", e);
        }
        if (!mp.hasGraph() || mp.getGraph().getNodeCount() == 0 && mp.getGraph().getOutputCount() == 0) {
            throw new OnnxException("not a valid ONNX model (no graph)");
        }
        int opset = -1;
        for (OperatorSetIdProto o : mp.getOpsetImportList()) {
            if (o.getDomain().isEmpty() || o.getDomain().equals("ai.onnx")) {
                opset = (int) o.getVersion();
            }
        }
        Map<String, String> meta = new LinkedHashMap<>();
        for (StringStringEntryProto e : mp.getMetadataPropsList()) {
            meta.put(e.getKey(), e.getValue());
        }
        return new Model(fromProto(mp.getGraph()), opset, meta);
    }

    /**
     * Decodes a graph. Value types come from the file's value_info where present; the rest are not
     * re-inferred here (an imported graph is re-built through {@link GraphBuilder} for that).
     */
    public static Graph fromProto(GraphProto gp) {
        Map<String, Value> values = new LinkedHashMap<>();
        Map<String, Tensor> inits = new LinkedHashMap<>();
        for (TensorProto tp : gp.getInitializerList()) {
            Tensor t = tensor(tp);
            inits.put(tp.getName(), t);
            values.put(tp.getName(), new Value(tp.getName(), t.dtype(), t.shape()));
        }
        List<Value> inputs = new ArrayList<>();
        for (ValueInfoProto vi : gp.getInputList()) {
            Value v = value(vi);
            values.put(v.name(), v);
            if (!inits.containsKey(v.name())) {
                inputs.add(v);
            }
        }
        for (ValueInfoProto vi : gp.getValueInfoList()) {
            if (vi.hasType() && vi.getType().hasTensorType()) {
                values.putIfAbsent(vi.getName(), value(vi));
            }
        }
        List<Value> outputs = new ArrayList<>();
        for (ValueInfoProto vi : gp.getOutputList()) {
            Value v = value(vi);
            values.put(v.name(), v);
            outputs.add(v);
        }
        List<Node> nodes = new ArrayList<>();
        Map<String, Integer> names = new HashMap<>();
        for (NodeProto np : gp.getNodeList()) {
            Map<String, Attribute> attrs = new LinkedHashMap<>();
            for (AttributeProto ap : np.getAttributeList()) {
                attrs.put(ap.getName(), attribute(np, ap));
            }
            String name = np.getName().isEmpty() ? np.getOpType() : np.getName();
            int k = names.merge(name, 1, Integer::sum);
            nodes.add(new Node(k == 1 ? name : name + "_" + k, np.getOpType(), np.getDomain(), np.getInputList(),
                    np.getOutputList(), attrs));
        }
        return new Graph(gp.getName(), inputs, outputs, inits, nodes, values);
    }

    static Value value(ValueInfoProto vi) {
        if (!vi.hasType() || !vi.getType().hasTensorType()) {
            throw new OnnxException("value '" + vi.getName() + "' is not a tensor");
        }
        TypeProto.Tensor tt = vi.getType().getTensorType();
        int rank = tt.getShape().getDimCount();
        long[] dims = new long[rank];
        String[] params = new String[rank];
        for (int i = 0; i < rank; i++) {
            TensorShapeProto.Dimension d = tt.getShape().getDim(i);
            dims[i] = d.hasDimValue() ? d.getDimValue() : Shape.UNKNOWN;
            params[i] = d.hasDimParam() ? d.getDimParam() : null;
        }
        return new Value(vi.getName(), DType.fromOnnx(tt.getElemType()), Shape.symbolic(dims, params));
    }

    public static Tensor tensor(TensorProto tp) {
        if (tp.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
            throw new OnnxException("tensor '" + tp.getName() + "' uses external data, which is not supported");
        }
        DType dt = DType.fromOnnx(tp.getDataType());
        long[] dims = new long[tp.getDimsCount()];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = tp.getDims(i);
        }
        Shape shape = Shape.of(dims);
        if (tp.hasRawData()) {
            try {
                return new Tensor(dt, shape, tp.getRawData().asReadOnlyByteBuffer());
            } catch (OnnxException e) {
                throw new OnnxException("tensor '" + tp.getName() + "': " + e.getMessage(), e);
            }
        }
        // the values present, compared with the shape before anything is allocated: dims may claim any size
        int values = switch (dt) {
            case FLOAT -> tp.getFloatDataCount();
            case DOUBLE -> tp.getDoubleDataCount();
            case INT64 -> tp.getInt64DataCount();
            case INT32, UINT8, BOOL -> tp.getInt32DataCount();
        };
        if (HeapBudget.product(dims) != values) {
            throw new OnnxException("tensor '" + tp.getName() + "' has " + values + " values for shape " + shape);
        }
        ByteBuffer b = ByteBuffer.allocate(values * dt.byteSize).order(ByteOrder.LITTLE_ENDIAN);
        switch (dt) {
            case FLOAT -> tp.getFloatDataList().forEach(b::putFloat);
            case DOUBLE -> tp.getDoubleDataList().forEach(b::putDouble);
            case INT64 -> tp.getInt64DataList().forEach(b::putLong);
            case INT32 -> tp.getInt32DataList().forEach(b::putInt);
            case UINT8, BOOL -> tp.getInt32DataList().forEach(v -> b.put((byte) (int) v));
        }
        b.flip();
        return new Tensor(dt, shape, b);
    }

    static Attribute attribute(NodeProto np, AttributeProto ap) {
        return switch (ap.getType()) {
            case INT -> Attribute.of(ap.getI());
            case FLOAT -> Attribute.of(ap.getF());
            case STRING -> Attribute.of(ap.getS().toStringUtf8());
            case INTS -> Attribute.of(ap.getIntsList().stream().mapToLong(Long::longValue).toArray());
            case FLOATS -> {
                float[] f = new float[ap.getFloatsCount()];
                for (int i = 0; i < f.length; i++) {
                    f[i] = ap.getFloats(i);
                }
                yield Attribute.of(f);
            }
            case STRINGS -> Attribute.of(ap.getStringsList().stream().map(ByteString::toStringUtf8)
                    .toArray(String[]::new));
            case TENSOR -> Attribute.of(tensor(ap.getT()));
            default -> throw new OnnxException("node '" + np.getName() + "' (" + np.getOpType() + ") attribute '"
                    + ap.getName() + "' has unsupported type " + ap.getType());
        };
    }
}
