package org.automixonnx.autodiff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import org.automixonnx.onnx.DType;
import org.automixonnx.onnx.GraphBuilder;
import org.automixonnx.onnx.Node;
import org.automixonnx.onnx.OnnxException;
import org.automixonnx.onnx.Ops;
import org.automixonnx.onnx.Shape;
import org.automixonnx.onnx.Tensor;
import org.automixonnx.onnx.Value;
import org.automixonnx.runtime.GraphSession;
import org.automixonnx.testing.RandomNormal;
import org.junit.jupiter.api.Test;

/** Behaviour of the differentiator itself: stop-gradient, frozen values, fan-out, pruning, failures. */
class DifferentiatorTest {
    private final Random random = new Random(11);

    private Tensor randn(long... dims) {
        return RandomNormal.tensor(random, Shape.of(dims));
    }

    /** Runs a graph whose outputs are the given gradients (named "grad.<input>"), fed with {@code feed}. */
    private static Map<String, Tensor> run(GraphBuilder b, Map<Value, Value> grads, Map<String, Tensor> feed) {
        grads.forEach((w, g) -> b.output(g, "grad." + w.name()));
        try (GraphSession s = new GraphSession(b.buildModel())) {
            return s.run(feed);
        }
    }

    /** Nodes appended after index {@code from}: the backward pass. */
    private static List<Node> after(GraphBuilder b, int from) {
        return new ArrayList<>(b.nodes().subList(from, b.nodes().size()));
    }

    @Test
    void detachedValueStopsTheFlow() {
        // loss = sum(x * a) with a = 2x: 4x with flow through a, 2x when a is detached.
        GraphBuilder b = new GraphBuilder("detach");
        Ops o = new Ops(b);
        Value x = b.input("x", DType.FLOAT, Shape.of(5));
        Value a = o.mul(x, 2f);
        Value loss = o.reduceSumAll(o.mul(x, a));
        Map<Value, Value> g = new Differentiator(b).detach(List.of(a)).gradients(loss, List.of(x));
        Tensor xv = randn(5);
        float[] got = run(b, g, Map.of("x", xv)).get("grad.x").floats();
        float[] xs = xv.floats();
        for (int i = 0; i < xs.length; i++) {
            assertEquals(2 * xs[i], got[i], 1e-5, "element " + i);
        }
    }

    @Test
    void frozenValueGetsNoGradientButPassesItThrough() {
        // y = W relu(A x): x is requested, W (the frozen teacher) is not, A neither.
        GraphBuilder b = new GraphBuilder("frozen");
        Ops o = new Ops(b);
        Value x = b.input("x", DType.FLOAT, Shape.of(4, 1));
        Value a = b.input("A", DType.FLOAT, Shape.of(5, 4));
        Value w = b.input("W", DType.FLOAT, Shape.of(3, 5));
        Value r = b.input("r", DType.FLOAT, Shape.of(3, 1));
        Value loss = o.reduceSumAll(o.mul(o.matmul(w, o.relu(o.matmul(a, x))), r));
        int forwardNodes = b.nodes().size();
        Map<Value, Value> g = new Differentiator(b).gradients(loss, List.of(x));

        assertEquals(List.of(x), List.copyOf(g.keySet()));
        for (Node n : after(b, forwardNodes)) {
            for (String out : n.outputs()) {
                Shape s = b.value(out).shape();
                assertFalse(s.equals(w.shape()) || s.equals(a.shape()),
                        "backward computes a gradient-shaped value for a frozen weight: " + n);
            }
        }
        Tensor xv = randn(4, 1);
        Tensor av = randn(5, 4);
        Tensor wv = randn(3, 5);
        Tensor rv = randn(3, 1);
        float[] got = run(b, g, Map.of("x", xv, "A", av, "W", wv, "r", rv)).get("grad.x").floats();
        assertArrayEquals(expectedFrozenGradient(xv.floats(), av.floats(), wv.floats(), rv.floats()), got, 1e-4f);
    }

    /** d/dx sum(r . W relu(A x)) = A^T (relu'(A x) . W^T r), written out in plain Java. */
    private static float[] expectedFrozenGradient(float[] x, float[] a, float[] w, float[] r) {
        float[] dx = new float[4];
        for (int h = 0; h < 5; h++) {
            double pre = 0;
            for (int i = 0; i < 4; i++) {
                pre += a[h * 4 + i] * x[i];
            }
            if (pre <= 0) {
                continue;
            }
            double back = 0;
            for (int k = 0; k < 3; k++) {
                back += w[k * 5 + h] * r[k];
            }
            for (int i = 0; i < 4; i++) {
                dx[i] += (float) (a[h * 4 + i] * back);
            }
        }
        return dx;
    }

    @Test
    void fanOutGradientsAreSummed() {
        // x feeds three branches: loss = sum(x*x) + sum(exp(x)) + sum(3x) -> 2x + exp(x) + 3
        GraphBuilder b = new GraphBuilder("fanout");
        Ops o = new Ops(b);
        Value x = b.input("x", DType.FLOAT, Shape.of(2, 3));
        Value loss = o.sum(List.of(o.reduceSumAll(o.mul(x, x)), o.reduceSumAll(o.exp(x)),
                o.reduceSumAll(o.mul(x, 3f))));
        Map<Value, Value> g = new Differentiator(b).gradients(loss, List.of(x));
        Tensor xv = randn(2, 3);
        float[] got = run(b, g, Map.of("x", xv)).get("grad.x").floats();
        float[] xs = xv.floats();
        for (int i = 0; i < xs.length; i++) {
            assertEquals(2 * xs[i] + Math.exp(xs[i]) + 3, got[i], 1e-4, "element " + i);
        }
    }

    /** Backward node count of loss = sum(x*x), after {@code extra} adds side work to the graph. */
    private static int backwardNodeCount(Consumer<Ops> extra) {
        GraphBuilder b = new GraphBuilder("prune");
        Ops o = new Ops(b);
        Value x = b.input("x", DType.FLOAT, Shape.of(3));
        Value c = b.input("c", DType.FLOAT, Shape.of(3));
        Value loss = o.reduceSumAll(o.mul(x, x));
        extra.accept(o);
        int forward = b.nodes().size();
        new Differentiator(b).gradients(loss, List.of(x, c));
        return b.nodes().size() - forward;
    }

    @Test
    void branchesThatDoNotReachTheLossEmitNoBackwardNodes() {
        int plain = backwardNodeCount(o -> { });
        // A dead branch from x (a side output), and work on c that never reaches the loss.
        int withDeadBranches = backwardNodeCount(o -> {
            GraphBuilder b = o.builder();
            b.output(o.tanh(o.exp(b.value("x"))), "side");
            b.output(o.mul(b.value("c"), b.value("x")), "other");
        });
        assertEquals(plain, withDeadBranches);
        assertTrue(plain > 0);
    }

    @Test
    void workOnValuesThatNeedNoGradientIsPruned() {
        // loss = sum(x*x) + sum(tanh(c)*tanh(c)) with only x requested: nothing is emitted for the c branch.
        GraphBuilder b = new GraphBuilder("prune_c");
        Ops o = new Ops(b);
        Value x = b.input("x", DType.FLOAT, Shape.of(3));
        Value c = b.input("c", DType.FLOAT, Shape.of(3));
        Value t = o.tanh(c);
        Value loss = o.add(o.reduceSumAll(o.mul(x, x)), o.reduceSumAll(o.mul(t, t)));
        int forward = b.nodes().size();
        new Differentiator(b).gradients(loss, List.of(x));
        for (Node n : after(b, forward)) {
            assertFalse(n.inputs().contains(t.name()) || n.inputs().contains(c.name()),
                    "backward node works on the branch that needs no gradient: " + n);
        }
    }

    @Test
    void missingRuleFailsNamingTheOperator() {
        GraphBuilder b = new GraphBuilder("norule");
        Ops o = new Ops(b);
        Value x = b.input("x", DType.FLOAT, Shape.of(3));
        Value loss = o.reduceSumAll(b.op("Sin", x));
        OnnxException e = assertThrows(OnnxException.class,
                () -> new Differentiator(b).gradients(loss, List.of(x)));
        assertTrue(e.getMessage().contains("'Sin'"), e.getMessage());
    }

    @Test
    void unusedWrtGetsZerosOfItsShape() {
        GraphBuilder b = new GraphBuilder("unused");
        Ops o = new Ops(b);
        Value x = b.input("x", DType.FLOAT, Shape.of(3));
        Value unused = b.input("u", DType.FLOAT, Shape.of(2, 4));
        Value loss = o.reduceSumAll(o.mul(x, x));
        Map<Value, Value> g = new Differentiator(b).gradients(loss, List.of(x, unused));
        Map<String, Tensor> feed = new LinkedHashMap<>();
        feed.put("x", randn(3));
        Tensor gu = run(b, g, feed).get("grad.u");
        assertEquals(Shape.of(2, 4), gu.shape());
        assertArrayEquals(new float[8], gu.floats());
    }

    @Test
    void nonScalarLossIsRejected() {
        GraphBuilder b = new GraphBuilder("vector_loss");
        Value x = b.input("x", DType.FLOAT, Shape.of(3));
        Value y = new Ops(b).exp(x);
        OnnxException e = assertThrows(OnnxException.class, () -> new Differentiator(b).gradients(y, List.of(x)));
        assertTrue(e.getMessage().contains("scalar"), e.getMessage());
    }
}
