package org.automixonnx.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Naming, scoping, constants, outputs and input validation of {@link GraphBuilder}. */
class GraphBuilderTest {
    @Test
    void everyValueAndNodeNameIsUnique() {
        GraphBuilder b = new GraphBuilder("names");
        Ops o = new Ops(b);
        Value x = b.input("x", DType.FLOAT, Shape.of(3));
        Value y = x;
        for (int i = 0; i < 5; i++) {
            y = o.relu(o.add(y, o.scalar(i)));
        }
        try (GraphBuilder.Scope s = b.scope("block")) {
            y = o.relu(y);
            y = o.relu(y);
        }
        b.output(y, "out");
        Set<String> nodeNames = new HashSet<>();
        Set<String> valueNames = new HashSet<>();
        for (Node n : b.nodes()) {
            assertTrue(nodeNames.add(n.name()), "duplicate node name " + n.name());
            for (String out : n.outputs()) {
                assertTrue(valueNames.add(out), "duplicate value name " + out);
            }
        }
        assertTrue(valueNames.add("x"));
        assertEquals(b.nodes().size(), nodeNames.size());
        assertNotEquals(b.uniqueName("relu"), b.uniqueName("relu"));
    }

    @Test
    void scopesPrefixNodeAndValueNamesAndNest() {
        GraphBuilder b = new GraphBuilder("scopes");
        Ops o = new Ops(b);
        Value x = b.input("x", DType.FLOAT, Shape.of(3));
        Value inner;
        Value outer;
        try (GraphBuilder.Scope l = b.scope("layer1")) {
            try (GraphBuilder.Scope blk = b.scope("0")) {
                assertEquals("layer1.0", b.prefix());
                inner = o.relu(x);
            }
            outer = o.relu(inner);
        }
        Value top = o.relu(outer);
        assertEquals("", b.prefix());
        assertEquals("layer1.0/relu", inner.name());
        assertEquals("layer1.0/Relu", b.producer(inner.name()).name());
        assertEquals("layer1/relu", outer.name());
        assertEquals("relu", top.name());
        assertEquals("Relu", b.producer(top.name()).name());
    }

    @Test
    void smallEqualConstantsAreSharedLargeOnesAreNot() {
        GraphBuilder b = new GraphBuilder("consts");
        assertSame(b.scalar(0.5f), b.scalar(0.5f));
        assertNotEquals(b.scalar(0.5f), b.scalar(0.25f));
        assertSame(b.longs(1, 2), b.longs(1, 2));
        Tensor big = Tensor.filled(Shape.of(64), 1f);
        assertNotEquals(b.constant(big).name(), b.constant(big).name());
        assertEquals(0.5f, b.constantValue(b.scalar(0.5f)).floats()[0]);
    }

    @Test
    void outputUnderAnotherNameAddsIdentityAndRejectsTakenNames() {
        GraphBuilder b = new GraphBuilder("outputs");
        Ops o = new Ops(b);
        Value x = b.input("x", DType.FLOAT, Shape.of(3));
        Value y = o.relu(x);
        Value out = b.output(y, "logits");
        assertEquals("logits", out.name());
        assertEquals("Identity", b.producer("logits").opType());
        assertEquals(List.of(out), b.outputs());
        OnnxException e = assertThrows(OnnxException.class, () -> b.output(y, "x"));
        assertTrue(e.getMessage().contains("'x'"), e.getMessage());
    }

    @Test
    void inputsMustBelongToTheGraphAndNamesMustNotRepeat() {
        GraphBuilder a = new GraphBuilder("a");
        GraphBuilder b = new GraphBuilder("b");
        Value foreign = a.input("x", DType.FLOAT, Shape.of(3));
        OnnxException e = assertThrows(OnnxException.class, () -> b.op("Relu", foreign));
        assertTrue(e.getMessage().contains("'x'") && e.getMessage().contains("'b'"), e.getMessage());
        b.input("x", DType.FLOAT, Shape.of(3));
        OnnxException dup = assertThrows(OnnxException.class, () -> b.input("x", DType.FLOAT, Shape.of(2)));
        assertTrue(dup.getMessage().contains("defined twice"), dup.getMessage());
    }

    @Test
    void unknownOperatorAndMissingAttributeFailNamingTheNode() {
        GraphBuilder b = new GraphBuilder("errors");
        Value x = b.input("x", DType.FLOAT, Shape.of(2, 3));
        OnnxException unknown;
        try (GraphBuilder.Scope s = b.scope("head")) {
            unknown = assertThrows(OnnxException.class, () -> b.op("NoSuchOp", x));
        }
        assertTrue(unknown.getMessage().contains("node 'head/NoSuchOp'"), unknown.getMessage());
        OnnxException attr = assertThrows(OnnxException.class,
                () -> b.op("Cast", List.of(x), Map.of()));
        assertTrue(attr.getMessage().contains("'Cast'") && attr.getMessage().contains("'to'"), attr.getMessage());
        assertEquals(0, b.nodes().size(), "failed nodes are not added");
    }

    @Test
    void trailingOmittedInputsAreDroppedInnerOnesKept() {
        GraphBuilder b = new GraphBuilder("optional");
        Ops o = new Ops(b);
        Value x = b.input("x", DType.FLOAT, Shape.of(2, 4));
        Value scale = b.input("scale", DType.FLOAT, Shape.of(4));
        Value y = o.layerNorm(x, scale, null, -1, 1e-5f, 1).get(0);
        assertEquals(List.of("x", "scale"), b.producer(y.name()).inputs());
        Value z = o.clip(x, null, o.scalar(1f));
        assertEquals(List.of("x", "", b.scalar(1f).name()), b.producer(z.name()).inputs());
    }

    @Test
    void fromGraphContinuesWithoutNameClashes() {
        GraphBuilder b = new GraphBuilder("first");
        Ops o = new Ops(b);
        Value x = b.input("x", DType.FLOAT, Shape.of(3));
        b.output(o.relu(o.relu(x)), "y");
        GraphBuilder c = GraphBuilder.from(b.build());
        Ops p = new Ops(c);
        Value z = p.relu(c.value("y"));
        Set<String> names = new HashSet<>();
        for (Node n : c.nodes()) {
            assertTrue(names.add(n.name()), "duplicate node name " + n.name());
        }
        assertTrue(!b.build().values().containsKey(z.name()), z.name() + " clashes with an existing value");
    }
}
