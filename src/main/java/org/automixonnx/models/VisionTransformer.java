package org.automixonnx.models;

import java.util.List;
import org.automixonnx.graphs.BuildContext;
import org.automixonnx.graphs.Initializer;
import org.automixonnx.models.nn.Layers;
import org.automixonnx.onnx.GraphBuilder;
import org.automixonnx.onnx.Ops;
import org.automixonnx.onnx.Shape;
import org.automixonnx.onnx.Value;

/**
 * Vision Transformer (Dosovitskiy et al.) at the DeiT sizes (Touvron et al.), in timm's {@code VisionTransformer}
 * layout and parameter names, so timm weights map by name: {@code patch_embed.proj} (a conv with kernel = stride =
 * patch size, with bias), {@code cls_token}, {@code pos_embed}, then {@code blocks.i} of pre-norm
 * {@code x + attn(norm1(x))} and {@code x + mlp(norm2(x))} ({@code attn.qkv}, {@code attn.proj}, {@code mlp.fc1},
 * GELU, {@code mlp.fc2}), the final {@code norm}, and the class token into {@code head}. LayerNorm epsilon 1e-6,
 * biases on every linear layer, no dropout (this toolkit's graphs are deterministic).
 *
 * <p>Feature taps {@code l1..l4}, as the ResNets name their stages: the patch tokens (class token dropped) as a
 * spatial map [N, D, H/p, W/p] after ceil(k depth / 4) blocks for {@code lk}, k = 1..3, and {@code l4} after all
 * blocks and the final norm. AutoMix's default tap {@code l3} suits a ViT: its tokens are three quarters deep, and
 * {@code l4} would be a poor map, since no loss reaches the patch tokens' outputs of the last block (the head reads
 * only the class token). A method that replaces a tap (ManifoldMix) replaces the class token there alike
 * ({@link BuildContext#tapAlongside}), so the whole hidden state is mixed.
 *
 * <p>Init as DeiT: linear weights, class token and position embedding Normal(0, 0.02) (timm's truncation at +-2
 * never bites), biases 0, LayerNorm 1/0; the patch embedding LeCun-normal; the heads Normal(0, 0.01) as every zoo
 * head.
 */
public final class VisionTransformer extends ImageClassifier {
    /** timm's ViT LayerNorm epsilon ({@code nn.LayerNorm(eps=1e-6)}), not torch's default 1e-5. */
    static final float NORM_EPS = 1e-6f;
    /** Hidden width of the MLP over the embedding width (ViT, DeiT: 4). */
    static final int MLP_RATIO = 4;
    /** Width of one attention head at every DeiT size; the width multiplier scales it. */
    static final int HEAD_WIDTH = 64;
    static final int DEIT_DEPTH = 12;
    static final int DEIT_PATCH = 16;
    static final int DEIT_T_HEADS = 3;
    static final int DEIT_S_HEADS = 6;
    /** The optional name parts after a size: {@code -d<depth>}, then {@code -p<patch size>}. */
    private static final String DEPTH_AND_PATCH = "(?:-d(\\d+))?(?:-p(\\d+))?";
    private static final Initializer TRANSFORMER_INIT = Initializer.normal(0.02);
    private static final Initializer ZERO = Initializer.constant(0f);

    private final int embedDim;
    private final int depth;
    private final int heads;
    private final int patch;

    /**
     * @param embedDim token width D, a multiple of {@code heads}
     * @param patch    side of the square patches; the image's height and width must be multiples of it
     */
    public VisionTransformer(int embedDim, int depth, int heads, int patch, int numClasses, boolean twoHeads) {
        super(numClasses, twoHeads);
        if (depth < 1) {
            throw new IllegalArgumentException("a ViT needs at least one block, got depth " + depth);
        }
        if (patch < 1) {
            throw new IllegalArgumentException("a ViT's patch size must be at least 1, got " + patch);
        }
        if (heads < 1 || embedDim % heads != 0) {
            throw new IllegalArgumentException("a ViT's " + heads + " attention heads must divide its embedding width "
                    + embedDim);
        }
        this.embedDim = embedDim;
        this.depth = depth;
        this.heads = heads;
        this.patch = patch;
    }

    /**
     * The zoo's names: {@code deit-t} (= {@code vit-tiny}: width 192, 3 heads) and {@code deit-s} (384, 6 heads), 12
     * blocks on 16 px patches; {@code -d<depth>} sets the blocks, {@code -p<patch>} the patch size (e.g.
     * {@code deit-s-d6-p4} for 28-32 px images), and the width multiplier scales the head width (64).
     */
    static void register(ModelRegistry r) {
        r.registerFamily("deit-t" + DEPTH_AND_PATCH, List.of("deit-t"), a -> deit(DEIT_T_HEADS, a));
        r.registerFamily("vit-tiny" + DEPTH_AND_PATCH, List.of("vit-tiny"), a -> deit(DEIT_T_HEADS, a));
        r.registerFamily("deit-s" + DEPTH_AND_PATCH, List.of("deit-s"), a -> deit(DEIT_S_HEADS, a));
    }

    private static VisionTransformer deit(int heads, ModelArgs a) {
        int headWidth = Math.max(1, (int) Math.round(HEAD_WIDTH * a.width()));
        return new VisionTransformer(heads * headWidth, a.number(0, DEIT_DEPTH), heads, a.number(1, DEIT_PATCH),
                a.classes(), false);
    }

    public int embedDim() {
        return embedDim;
    }

    public int depth() {
        return depth;
    }

    public int heads() {
        return heads;
    }

    public int patch() {
        return patch;
    }

    @Override
    public VisionTransformer withTwoHeads(boolean two) {
        return new VisionTransformer(embedDim, depth, heads, patch, numClasses(), two);
    }

    @Override
    protected String singleHeadName() {
        return "head";
    }

    @Override
    public List<String> taps() {
        return StagedClassifier.TAPS;
    }

    @Override
    public Value features(BuildContext ctx, Value x, String tap) {
        return throughTaps(ctx, x, StagedClassifier.tapNumber(tap)).map();
    }

    /** The class token after the final norm, [N, D]. */
    @Override
    public Value pooledFeatures(BuildContext ctx, Value x) {
        Hidden h = throughTaps(ctx, x, StagedClassifier.TAPS.size());
        Ops o = ctx.ops();
        Value classToken = o.slice(o.reshape(h.rows(), -1, h.tokens(), embedDim), new long[] {0}, new long[] {1},
                new long[] {1}, null);
        return o.reshape(classToken, -1, embedDim);
    }

    @Override
    public Value head(BuildContext ctx, String moduleName, Value pooled) {
        return Layers.linear(ctx, moduleName, pooled, numClasses(), StagedClassifier.HEAD_INIT, ZERO);
    }

    /**
     * The hidden state: every token of every image as one row, [N * tokens, D] (class token first), so each linear
     * layer is one Gemm; with the spatial map of the last tap passed.
     */
    private record Hidden(Value rows, int tokens, int gridHeight, int gridWidth, Value map) {
        Hidden withRows(Value next) {
            return new Hidden(next, tokens, gridHeight, gridWidth, map);
        }
    }

    /** Blocks before tap {@code lk}: ceil(k depth / 4); l4 comes after every block. */
    private int blocksBefore(int k) {
        int quarters = StagedClassifier.TAPS.size();
        return (k * depth + quarters - 1) / quarters;
    }

    /** The embedding and the blocks up to tap {@code l<last>}, through every tap on the way. */
    private Hidden throughTaps(BuildContext ctx, Value x, int last) {
        Hidden h = embed(ctx, x);
        int done = 0;
        for (int k = 1; k <= last; k++) {
            for (; done < blocksBefore(k); done++) {
                h = h.withRows(block(ctx, done, h.rows(), h.tokens()));
            }
            if (k == StagedClassifier.TAPS.size()) {
                h = h.withRows(Layers.layerNorm(ctx, "norm", h.rows(), NORM_EPS));
            }
            h = tap(ctx, StagedClassifier.TAPS.get(k - 1), h);
        }
        return h;
    }

    @Override
    public void checkImage(long[] chw) {
        checkGrid(chw[1], chw[2]);
    }

    private void checkGrid(long height, long width) {
        if (height % patch != 0 || width % patch != 0) {
            throw new IllegalArgumentException("a ViT with " + patch + " px patches needs an image size divisible by "
                    + patch + ", got " + height + "x" + width + " (set the patch size with -p<patch> in the model name,"
                    + " e.g. deit-s-p4 for 28 or 32 px images)");
        }
    }

    /** Patch embedding, class token and position embedding. */
    private Hidden embed(BuildContext ctx, Value x) {
        long height = x.dim(2);
        long width = x.dim(3);
        checkGrid(height, width);
        Ops o = ctx.ops();
        int gridHeight = Math.toIntExact(height / patch);
        int gridWidth = Math.toIntExact(width / patch);
        int patches = gridHeight * gridWidth;
        Value map;
        try (GraphBuilder.Scope s = ctx.builder().scope("patch_embed")) {
            map = Layers.conv2d(ctx, "proj", x, embedDim, patch, patch, 0, Initializer.lecunNormal(), ZERO);
        }
        Value patchTokens = o.transpose(o.reshape(map, 0, embedDim, patches), 0, 2, 1);
        Value classToken = ctx.parameter("cls_token", Shape.of(1, 1, embedDim), TRANSFORMER_INIT);
        Value position = ctx.parameter("pos_embed", Shape.of(1, 1 + patches, embedDim), TRANSFORMER_INIT);
        // cat(class token, patch tokens) + position, written as zero-padding and broadcast adds: an Expand of the class
        // token to the batch would need the batch size, which an exported graph leaves symbolic
        Value lead = o.add(position, o.pad(classToken, new long[] {0, 0, 0, 0, patches, 0}, null));
        Value sequence = o.add(o.pad(patchTokens, new long[] {0, 1, 0, 0, 0, 0}, null), lead);
        return new Hidden(o.reshape(sequence, -1, embedDim), 1 + patches, gridHeight, gridWidth, null);
    }

    private Value block(BuildContext ctx, int index, Value rows, int tokens) {
        Ops o = ctx.ops();
        try (GraphBuilder.Scope b = ctx.builder().scope("blocks"); GraphBuilder.Scope s = ctx.builder()
                .scope(Integer.toString(index))) {
            Value h = o.add(rows, attention(ctx, Layers.layerNorm(ctx, "norm1", rows, NORM_EPS), tokens));
            return o.add(h, mlp(ctx, Layers.layerNorm(ctx, "norm2", h, NORM_EPS)));
        }
    }

    /** Multi-head self-attention: softmax(q k^T / sqrt(head width)) v per head, heads concatenated, projected. */
    private Value attention(BuildContext ctx, Value rows, int tokens) {
        Ops o = ctx.ops();
        int headWidth = embedDim / heads;
        try (GraphBuilder.Scope s = ctx.builder().scope("attn")) {
            Value qkv = Layers.linear(ctx, "qkv", rows, 3 * embedDim, TRANSFORMER_INIT, ZERO);
            // [N tokens, 3 D] -> [3, N, heads, tokens, head width]: q, k, v split on the first axis
            qkv = o.transpose(o.reshape(qkv, -1, tokens, 3, heads, headWidth), 2, 0, 3, 1, 4);
            List<Value> parts = o.split(qkv, 0, 1, 1, 1);
            Value q = o.squeeze(parts.get(0), 0);
            Value k = o.squeeze(parts.get(1), 0);
            Value v = o.squeeze(parts.get(2), 0);
            Value scores = o.matmul(o.mul(q, (float) (1 / Math.sqrt(headWidth))), o.transpose(k, 0, 1, 3, 2));
            Value perHead = o.matmul(o.softmax(scores, 3), v);
            Value merged = o.reshape(o.transpose(perHead, 0, 2, 1, 3), -1, embedDim);
            return Layers.linear(ctx, "proj", merged, embedDim, TRANSFORMER_INIT, ZERO);
        }
    }

    private Value mlp(BuildContext ctx, Value rows) {
        try (GraphBuilder.Scope s = ctx.builder().scope("mlp")) {
            Value hidden = Layers.gelu(ctx, Layers.linear(ctx, "fc1", rows, MLP_RATIO * embedDim, TRANSFORMER_INIT,
                    ZERO));
            return Layers.linear(ctx, "fc2", hidden, embedDim, TRANSFORMER_INIT, ZERO);
        }
    }

    /**
     * Records tap {@code name}: the patch tokens as a map [N, D, H/p, W/p]. When a method replaces the map (and with
     * it the class token, as a [N, D, 1, 1] map), the blocks go on from the replaced tokens.
     */
    private Hidden tap(BuildContext ctx, String name, Hidden h) {
        Ops o = ctx.ops();
        Value sequence = o.reshape(h.rows(), -1, h.tokens(), embedDim);
        Value patchTokens = o.slice(sequence, new long[] {1}, new long[] {h.tokens()}, new long[] {1}, null);
        Value map = o.reshape(o.transpose(patchTokens, 0, 2, 1), 0, embedDim, h.gridHeight(), h.gridWidth());
        Value classToken = o.reshape(o.slice(sequence, new long[] {0}, new long[] {1}, new long[] {1}, null), 0,
                embedDim, 1, 1);
        Value tappedMap = ctx.tap(name, map);
        Value tappedClass = ctx.tapAlongside(name, classToken);
        if (tappedMap == map && tappedClass == classToken) {
            return new Hidden(h.rows(), h.tokens(), h.gridHeight(), h.gridWidth(), map);
        }
        Value replacedPatches = o.transpose(o.reshape(tappedMap, 0, embedDim, h.tokens() - 1), 0, 2, 1);
        Value replacedClass = o.reshape(tappedClass, 0, 1, embedDim);
        Value rows = o.reshape(o.concat(List.of(replacedClass, replacedPatches), 1), -1, embedDim);
        return new Hidden(rows, h.tokens(), h.gridHeight(), h.gridWidth(), tappedMap);
    }

    @Override
    public String toString() {
        return "VisionTransformer(width " + embedDim + ", depth " + depth + ", heads " + heads + ", patch " + patch
                + ")";
    }
}
