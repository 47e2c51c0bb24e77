package org.automixonnx.autodiff;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiFunction;
import org.automixonnx.onnx.DType;
import org.automixonnx.onnx.GraphBuilder;
import org.automixonnx.onnx.Model;
import org.automixonnx.onnx.Ops;
import org.automixonnx.onnx.Shape;
import org.automixonnx.onnx.Tensor;
import org.automixonnx.onnx.Value;
import org.automixonnx.runtime.GraphSession;
import org.automixonnx.testing.RandomNormal;

/**
 * Checks a gradient rule against central finite differences, both computed by ONNX Runtime.
 *
 * <p>The scalar under test is {@code L = sum(f(inputs) * R)} with a fixed random R, so every output
 * element contributes with a different weight. Float inputs are differentiated; integer inputs (indices,
 * permutations) are fed as they are. Each checked element is perturbed by +-eps in float32 and the
 * central difference compared with the autodiff gradient.
 */
public final class GradCheck {
    @Override
    public String toString() {
        return label;
    }

    private final String label;
    private final Map<String, Tensor> inputs = new LinkedHashMap<>();
    private BiFunction<Ops, List<Value>, Value> forward;
    private float eps = 1e-2f;
    private double tol = 1e-2;
    private int maxElements = 120;
    private long seed = 7;

    private GradCheck(String label) {
        this.label = label;
    }

    public static GradCheck of(String label) {
        return new GradCheck(label);
    }

    public GradCheck input(String name, Tensor t) {
        inputs.put(name, t);
        return this;
    }

    /** A float input with N(0,1) entries. */
    public GradCheck randn(String name, long... dims) {
        return input(name, RandomNormal.tensor(new Random(seed + inputs.size() * 31L), Shape.of(dims)));
    }

    /** A float input with entries in [lo, hi) (for ops with restricted domains such as Log and Sqrt). */
    public GradCheck uniform(String name, float lo, float hi, long... dims) {
        Random r = new Random(seed + inputs.size() * 31L);
        float[] v = new float[(int) Shape.of(dims).numel()];
        for (int i = 0; i < v.length; i++) {
            v[i] = lo + (hi - lo) * r.nextFloat();
        }
        return input(name, Tensor.ofFloats(Shape.of(dims), v));
    }

    /** A float input whose entries keep at least {@code gap} away from 0 (for kinks of ReLU, Abs, MaxPool ties). */
    public GradCheck awayFromZero(String name, float gap, long... dims) {
        Random r = new Random(seed + inputs.size() * 31L);
        float[] v = new float[(int) Shape.of(dims).numel()];
        for (int i = 0; i < v.length; i++) {
            float m = gap + r.nextFloat();
            v[i] = r.nextBoolean() ? m : -m;
        }
        return input(name, Tensor.ofFloats(Shape.of(dims), v));
    }

    public GradCheck eps(float e) {
        this.eps = e;
        return this;
    }

    public GradCheck tol(double t) {
        this.tol = t;
        return this;
    }

    public GradCheck maxElements(int n) {
        this.maxElements = n;
        return this;
    }

    public GradCheck forward(BiFunction<Ops, List<Value>, Value> f) {
        this.forward = f;
        return this;
    }

    /**
     * The operator types whose gradient rules this check exercises: the rules the differentiator applies while it
     * builds the gradients (the graph is built, not run).
     */
    public Set<String> differentiatedOperators() {
        Set<String> applied = new TreeSet<>();
        build(true, new ArrayList<>(), recording(applied));
        return applied;
    }

    /** The standard rules, each also noting its operator in {@code applied} when it runs. */
    private static GradientRegistry recording(Set<String> applied) {
        GradientRegistry standard = GradientRegistry.standard();
        GradientRegistry r = new GradientRegistry();
        for (String op : standard.operators()) {
            r.register(op, c -> {
                applied.add(op);
                standard.rule(c.node()).backward(c);
            });
        }
        return r.nonDifferentiable(standard.nonDifferentiableOperators().toArray(String[]::new));
    }

    /** Builds the graph: inputs, f, L; with gradients of L (by {@code rules}) when {@code withGrads}. */
    private Model build(boolean withGrads, List<String> gradNames, GradientRegistry rules) {
        GraphBuilder b = new GraphBuilder("gradcheck_" + label.replaceAll("\\W", "_"));
        Ops o = new Ops(b);
        List<Value> ins = new ArrayList<>();
        for (Map.Entry<String, Tensor> e : inputs.entrySet()) {
            ins.add(b.input(e.getKey(), e.getValue().dtype(), e.getValue().shape()));
        }
        Value y = forward.apply(o, ins);
        Tensor weights = RandomNormal.tensor(new Random(seed * 1_000_003L), y.shape());
        Value loss = o.reduceSumAll(o.mul(y, b.constant(weights)));
        b.output(loss, "loss");
        if (withGrads) {
            List<Value> wrt = ins.stream().filter(v -> v.dtype() == DType.FLOAT).toList();
            Map<Value, Value> g = new Differentiator(b, rules).gradients(loss, wrt);
            for (Value w : wrt) {
                String n = "grad." + w.name();
                b.output(g.get(w), n);
                gradNames.add(n);
            }
        }
        return b.buildModel();
    }

    /** Runs the check; fails the test with the worst element when the gradients disagree. */
    public void run() {
        List<String> gradNames = new ArrayList<>();
        Model withGrads = build(true, gradNames, GradientRegistry.standard());
        Model plain = build(false, new ArrayList<>(), GradientRegistry.standard());
        Map<String, Tensor> analytic;
        try (GraphSession s = new GraphSession(withGrads)) {
            analytic = s.run(inputs);
        }
        Random pick = new Random(seed + 99);
        try (GraphSession s = new GraphSession(plain)) {
            for (Map.Entry<String, Tensor> e : inputs.entrySet()) {
                if (e.getValue().dtype() != DType.FLOAT) {
                    continue;
                }
                float[] x = e.getValue().floats();
                float[] g = analytic.get("grad." + e.getKey()).floats();
                double scale = 1.0;
                for (float v : g) {
                    scale = Math.max(scale, Math.abs(v));
                }
                List<Integer> idx = new ArrayList<>();
                for (int i = 0; i < x.length; i++) {
                    idx.add(i);
                }
                java.util.Collections.shuffle(idx, pick);
                double worst = 0;
                String worstAt = "";
                for (int k = 0; k < Math.min(maxElements, x.length); k++) {
                    int i = idx.get(k);
                    double fd = (lossAt(s, e.getKey(), x, i, eps) - lossAt(s, e.getKey(), x, i, -eps)) / (2.0 * eps);
                    double err = Math.abs(fd - g[i]) / scale;
                    if (err > worst) {
                        worst = err;
                        worstAt = e.getKey() + "[" + i + "]: autodiff " + g[i] + ", finite difference " + fd;
                    }
                }
                assertTrue(worst <= tol, label + ": gradient mismatch " + String.format("%.3g", worst) + " > " + tol
                        + " at " + worstAt);
            }
        }
    }

    private double lossAt(GraphSession s, String name, float[] x, int i, float delta) {
        float[] p = x.clone();
        p[i] += delta;
        Map<String, Tensor> feed = new LinkedHashMap<>(inputs);
        feed.put(name, Tensor.ofFloats(inputs.get(name).shape(), p));
        return s.run(feed, List.of("loss")).get("loss").floats()[0];
    }
}
