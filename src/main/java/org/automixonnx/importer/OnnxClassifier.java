package org.automixonnx.importer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.automixonnx.graphs.BuildContext;
import org.automixonnx.graphs.Initializer;
import org.automixonnx.graphs.Role;
import org.automixonnx.graphs.StateVar;
import org.automixonnx.models.Head;
import org.automixonnx.models.ImageClassifier;
import org.automixonnx.models.nn.BatchNorm2d;
import org.automixonnx.onnx.DType;
import org.automixonnx.onnx.Graph;
import org.automixonnx.onnx.GraphBuilder;
import org.automixonnx.onnx.Model;
import org.automixonnx.onnx.Node;
import org.automixonnx.onnx.OnnxException;
import org.automixonnx.onnx.OnnxIO;
import org.automixonnx.onnx.Shape;
import org.automixonnx.onnx.Tensor;
import org.automixonnx.onnx.Value;

/**
 * A user's forward ONNX classifier (e.g. from {@code torch.onnx.export}) as a trainable {@link ImageClassifier}. Every
 * build re-emits the file's nodes through the context's builder, so shapes are re-inferred for the batch size
 * of the graph being built, and:
 * <ul>
 * <li>float initializers in weight positions (Conv/Gemm/MatMul operands, elementwise operands, BN scale and bias)
 * become PARAMETER state under their own names, initialised with the file's values;</li>
 * <li>each BatchNormalization becomes the toolkit's BatchNorm ({@link BatchNorm2d}: batch statistics and
 * running-stat updates in TRAIN mode, the file's epsilon and momentum), its mean and variance BN_STATISTIC
 * state; Dropout and Identity pass their input through (graphs are deterministic);</li>
 * <li>every other initializer (shape vectors, scalars) stays a constant.</li>
 * </ul>
 * The tensor named as feature tap passes through {@link BuildContext#tap} under its own name, so AutoMix and
 * ManifoldMix can read or replace it. Note: {@code torch.onnx.export} in eval mode merges each BN that follows a
 * conv into the conv; those convs train without BN (export with {@code training=TrainingMode.PRESERVE} on a
 * model in train mode to keep them).
 */
public final class OnnxClassifier extends ImageClassifier {
    /** Input slots whose float initializers are trained, per operator. */
    private static final Map<String, Set<Integer>> WEIGHT_SLOTS = Map.ofEntries(
            Map.entry("Conv", Set.of(1, 2)), Map.entry("ConvTranspose", Set.of(1, 2)), Map.entry("Gemm", Set.of(0, 1, 2)),
            Map.entry("MatMul", Set.of(0, 1)), Map.entry("Add", Set.of(0, 1)), Map.entry("Sub", Set.of(0, 1)),
            Map.entry("Mul", Set.of(0, 1)), Map.entry("Div", Set.of(0)), Map.entry("BatchNormalization", Set.of(1, 2)),
            Map.entry("LayerNormalization", Set.of(1, 2)));

    private final Graph graph;
    private final String source;
    private final Value input;
    private final String featureTap;
    private final Set<String> trainable;
    /** The final Gemm, when the file ends in one: where pooled features and the heads are split off. */
    private final Optional<LinearHead> linearHead;

    private OnnxClassifier(Graph graph, String source, Value input, String featureTap, Set<String> trainable,
            Optional<LinearHead> linearHead, int numClasses, boolean twoHeads) {
        super(numClasses, twoHeads);
        if (twoHeads && linearHead.isEmpty()) {
            throw ImportCheck.fail(source, "does not end in a linear layer (a Gemm with constant weights producing "
                    + "the logits), so it cannot get the two heads AutoMix trains; use a method with one head, e.g. "
                    + "vanilla or mixup");
        }
        this.linearHead = linearHead;
        this.graph = graph;
        this.source = source;
        this.input = input;
        this.featureTap = featureTap;
        this.trainable = trainable;
    }

    /** @param featureTap name of the tensor used as AutoMix/ManifoldMix feature, or null */
    public static OnnxClassifier load(Path file, String featureTap) throws IOException {
        Model m;
        try {
            m = OnnxIO.read(file);
        } catch (OnnxException e) {
            throw new IllegalArgumentException("cannot read model file: " + e.getMessage(), e);
        }
        return of(m, featureTap, file.toString());
    }

    public static OnnxClassifier of(Model model, String featureTap, String source) {
        Value in = ImportCheck.check(model, featureTap, source);
        Graph g = model.graph();
        java.util.HashSet<String> trainable = new java.util.HashSet<>();
        for (Node n : g.nodes()) {
            Set<Integer> slots = WEIGHT_SLOTS.getOrDefault(n.opType(), Set.of());
            for (int i = 0; i < n.inputs().size(); i++) {
                Tensor t = g.initializers().get(n.input(i));
                if (t != null && slots.contains(i) && t.dtype() == DType.FLOAT && t.shape().rank() > 0) {
                    trainable.add(n.input(i));
                }
            }
        }
        Optional<LinearHead> head = LinearHead.find(g);
        long classes = head.map(LinearHead::classes).orElse(g.outputs().get(0).rank() == 2
                ? g.outputs().get(0).dim(1) : Shape.UNKNOWN);
        if (classes <= 0) {
            throw ImportCheck.fail(source, "output '" + g.outputs().get(0).name() + "' has an unknown class count "
                    + g.outputs().get(0).shape() + "; export it with a static number of classes");
        }
        return new OnnxClassifier(g, source, in, featureTap, Set.copyOf(trainable), head, Math.toIntExact(classes),
                false);
    }

    @Override
    public OnnxClassifier withTwoHeads(boolean two) {
        return new OnnxClassifier(graph, source, input, featureTap, trainable, linearHead, numClasses(), two);
    }

    /**
     * The same network predicting {@code classes} classes: when that differs from the file's count (fine-tuning
     * e.g. an ImageNet model on a 10-class set) the file's linear head is replaced by a new one initialised as
     * docs/automix.md's heads, Normal(0, 0.01), under the file's head name.
     */
    public OnnxClassifier withClasses(int classes) {
        if (classes == numClasses()) {
            return this;
        }
        requireHead();
        return new OnnxClassifier(graph, source, input, featureTap, trainable, linearHead, classes, twoHeads());
    }

    /** Whether the head is the file's own (same class count) rather than a new one. */
    private boolean headFromFile() {
        return linearHead.map(h -> h.classes() == numClasses()).orElse(true);
    }

    /** C, H, W of the image input as declared in the file. */
    public long[] imageShape() {
        return new long[] {input.dim(1), input.dim(2), input.dim(3)};
    }

    public String featureTap() {
        return featureTap;
    }

    /** Names of the initializers trained as parameters. */
    public Set<String> trainableNames() {
        return trainable;
    }

    /** With the single head: the whole file re-emitted, whatever its last layer is. */
    @Override
    public Value logits(BuildContext ctx, Value x, Head h) {
        if (twoHeads() || !headFromFile()) {
            return super.logits(ctx, x, h);
        }
        h.moduleName(false, singleHeadName());  // refuses MIX
        Value logits = emit(ctx, x, null);
        if (logits.rank() != 2) {
            throw ImportCheck.fail(source, "output is " + logits.shape() + " after rebuilding, expected logits [N, K]");
        }
        return logits;
    }

    @Override
    public List<String> taps() {
        return featureTap == null ? List.of() : List.of(featureTap);
    }

    /** The feature tap tensor (the graph is emitted only as far as needed to compute it). */
    @Override
    public Value features(BuildContext ctx, Value x, String tap) {
        if (featureTap == null) {
            throw new IllegalArgumentException("no feature tap was named for model file " + source
                    + " (give the name of a tensor, e.g. a stage output, with --feature-tap)");
        }
        if (!featureTap.equals(tap)) {
            throw new IllegalArgumentException("model file " + source + " has the feature tap '" + featureTap
                    + "', not '" + tap + "'");
        }
        return emit(ctx, x, featureTap);
    }

    @Override
    public Value pooledFeatures(BuildContext ctx, Value x) {
        return emit(ctx, x, requireHead().pooled());
    }

    /**
     * The single head re-emits the file's Gemm under the file's names (the same state as {@link #logits});
     * with two heads, {@code head_one} starts from the file's weights and {@code head_mix} from docs/automix.md's
     * Normal(0, 0.01) init, both in torch's [K, D] layout. A replaced head ({@link #withClasses}) is all new.
     */
    @Override
    public Value head(BuildContext ctx, String moduleName, Value pooled) {
        LinearHead lh = requireHead();
        if (!twoHeads() && moduleName.equals(singleHeadName()) && headFromFile()) {
            Node gemm = graph.nodes().stream().filter(n -> n.outputs().contains(graph.outputs().get(0).name()))
                    .findFirst().orElseThrow();
            Map<String, Value> env = new HashMap<>();
            env.put(lh.pooled(), pooled);
            return emitNode(ctx, gemm, env).get(0);
        }
        boolean fileWeights = moduleName.equals("head_one") && headFromFile();
        Tensor w = fileWeights ? lh.weightKD(graph) : null;
        Tensor b = fileWeights ? lh.biasK(graph) : null;
        try (GraphBuilder.Scope s = ctx.builder().scope(moduleName)) {
            Value weight = ctx.parameter("weight", Shape.of(numClasses(), lh.features()),
                    w != null ? (sh, r) -> w : Initializer.normal(0.01));
            Value bias = ctx.parameter("bias", Shape.of(numClasses()), b != null ? (sh, r) -> b : Initializer.constant(0f));
            return ctx.ops().gemm(pooled, weight, bias, false, true);
        }
    }

    /** The module name of the file's head weight ({@code fc} for {@code fc.weight}). */
    @Override
    protected String singleHeadName() {
        String w = linearHead.map(LinearHead::weight).orElse("logits");
        return w.endsWith(".weight") ? w.substring(0, w.length() - ".weight".length()) : w;
    }

    private LinearHead requireHead() {
        return linearHead.orElseThrow(() -> ImportCheck.fail(source, "does not end in a linear layer (a Gemm with "
                + "constant weights producing the logits); this method needs the pooled features before it"));
    }

    private Value emit(BuildContext ctx, Value x, String stopAt) {
        for (int i = 1; i < 4; i++) {
            if (x.dim(i) != input.dim(i)) {
                throw ImportCheck.fail(source, "expects images " + input.shape() + ", got " + x.shape());
            }
        }
        Map<String, Value> env = new HashMap<>();
        env.put(input.name(), tap(ctx, input.name(), x));
        if (input.name().equals(stopAt)) {
            return env.get(stopAt);
        }
        for (Node n : graph.nodes()) {
            List<Value> outs;
            try {
                outs = emitNode(ctx, n, env);
            } catch (OnnxException | IllegalArgumentException e) {
                throw ImportCheck.fail(source, "cannot be rebuilt at node " + n.name() + " (" + n.opType() + "): "
                        + e.getMessage());
            }
            for (int i = 0; i < outs.size(); i++) {
                String name = n.output(i);
                if (!name.isEmpty()) {
                    env.put(name, tap(ctx, name, outs.get(i)));
                }
            }
            if (stopAt != null && env.containsKey(stopAt)) {
                return env.get(stopAt);
            }
        }
        return env.get(graph.outputs().get(0).name());
    }

    private Value tap(BuildContext ctx, String name, Value v) {
        return name.equals(featureTap) ? ctx.tap(name, v) : v;
    }

    private List<Value> emitNode(BuildContext ctx, Node n, Map<String, Value> env) {
        switch (n.opType()) {
            case "Constant":
                if (!n.hasAttr("value")) {
                    throw new IllegalArgumentException("only Constant nodes with a tensor 'value' are supported");
                }
                return List.of(ctx.builder().constant(n.require("value").asTensor()));
            case "Identity":
            case "Dropout":
                return List.of(value(ctx, n.input(0), env));
            case "BatchNormalization":
                return List.of(batchNorm(ctx, n, env));
            default:
                List<Value> ins = new ArrayList<>();
                for (String in : n.inputs()) {
                    ins.add(in.isEmpty() ? null : value(ctx, in, env));
                }
                return ctx.builder().op(n.opType(), ins, n.attributes(), n.outputs().size());
        }
    }

    private Value batchNorm(BuildContext ctx, Node n, Map<String, Value> env) {
        Value x = value(ctx, n.input(0), env);
        StateVar mean = statistic(ctx, n.input(3));
        StateVar var = statistic(ctx, n.input(4));
        String tracked = ctx.qualify(n.input(3).endsWith("running_mean")
                ? n.input(3).substring(0, n.input(3).length() - "running_mean".length()) + "num_batches_tracked"
                : n.input(3) + ".num_batches_tracked");
        float momentum = 1f - n.attrFloat("momentum", 0.9f);  // ONNX weights the running value, torch the batch
        return BatchNorm2d.apply(ctx, x, value(ctx, n.input(1), env), value(ctx, n.input(2), env), mean, var,
                tracked, n.attrFloat("epsilon", 1e-5f), momentum);
    }

    private StateVar statistic(BuildContext ctx, String name) {
        Tensor t = graph.initializers().get(name);
        return ctx.state(ctx.qualify(name), Role.BN_STATISTIC, DType.FLOAT, t.shape(), (s, r) -> t);
    }

    private Value value(BuildContext ctx, String name, Map<String, Value> env) {
        Value v = env.get(name);
        if (v != null) {
            return v;
        }
        Tensor t = graph.initializers().get(name);
        if (t == null) {
            throw new IllegalArgumentException("tensor '" + name + "' is used before it is computed");
        }
        v = trainable.contains(name)
                ? ctx.state(ctx.qualify(name), Role.PARAMETER, DType.FLOAT, t.shape(), (s, r) -> t).current()
                : ctx.builder().constant(t);
        env.put(name, v);
        return v;
    }
}
