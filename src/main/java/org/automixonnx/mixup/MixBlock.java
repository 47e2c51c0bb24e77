package org.automixonnx.mixup;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.automixonnx.graphs.BuildContext;
import org.automixonnx.graphs.Initializer;
import org.automixonnx.onnx.GraphBuilder;
import org.automixonnx.onnx.Ops;
import org.automixonnx.onnx.Shape;
import org.automixonnx.onnx.Value;

/**
 * AutoMix's mask generator {@code s = M(z, lam, perm)} (docs/automix.md, "The MixBlock"): from features z [N, C, h, w]
 * at a tap, the partner's per-pixel weight s [N, 1, H, W] in (0, 1).
 *
 * <p>{@code q = Wqk z_i}, {@code k = Wqk z_j} (one shared 1x1 conv with bias, C(+1) -> C/2), {@code v = Wv z_j}
 * (1x1 conv with bias, C(+1) -> 1), with {@code z_i = z} and {@code z_j = z[perm]}; with {@code lamConcat} a
 * constant channel {@code lam} is appended to z_i and {@code 1 - lam} to z_j. Then per sample
 * {@code P = softmax_rows(q^T k / sqrt(C/2))} over the hw x hw positions, {@code m = P v}, upsampled to H x W
 * and passed through a sigmoid.
 *
 * <p>Parameters: {@code mixblock.qk.weight} [C/2, C(+1), 1, 1], {@code mixblock.qk.bias} [C/2],
 * {@code mixblock.v.weight} [1, C(+1), 1, 1], {@code mixblock.v.bias} [1]; weights Normal(0, 0.01), biases 0.
 * Calling {@link #apply} twice in one graph reuses the same parameters.
 */
public final class MixBlock {
    /** Builder scope, and so the prefix of every MixBlock parameter name. */
    public static final String SCOPE = "mixblock";
    static final Initializer WEIGHT_INIT = Initializer.normal(0.01);

    public enum Upsampling { NEAREST, BILINEAR }

    /**
     * @param lamConcat  append the lambda channels (paper: on; reference small-image configs: off)
     * @param upsampling how the h x w mask becomes H x W (reference: nearest)
     */
    public record Options(boolean lamConcat, Upsampling upsampling) {
        public static final Options DEFAULT = new Options(true, Upsampling.NEAREST);
    }

    private MixBlock() {
    }

    /**
     * @param z    features [N, C, h, w]
     * @param lam  float scalar, the sample's own share
     * @param perm int64 [N], the partner of each sample
     * @return the partner's weight s [N, 1, outH, outW]
     */
    public static Value apply(BuildContext ctx, Value z, Value lam, Value perm, long outH, long outW, Options opt) {
        Ops o = ctx.ops();
        long n = z.dim(0);
        long c = z.dim(1);
        long h = z.dim(2);
        long w = z.dim(3);
        long inner = c / 2;
        if (inner < 1 || !z.shape().isStatic()) {
            throw new IllegalArgumentException("MixBlock needs static features with at least 2 channels, got " + z);
        }
        try (GraphBuilder.Scope s = ctx.builder().scope(SCOPE)) {
            Value zi = z;
            Value zj = o.gather(z, perm, 0);
            if (opt.lamConcat()) {
                zi = o.concat(List.of(zi, o.expand(lam, n, 1, h, w)), 1);
                zj = o.concat(List.of(zj, o.expand(o.sub(o.scalar(1f), lam), n, 1, h, w)), 1);
            }
            long cin = zi.dim(1);
            Value wqk = ctx.parameter("qk.weight", Shape.of(inner, cin, 1, 1), WEIGHT_INIT);
            Value bqk = ctx.parameter("qk.bias", Shape.of(inner), Initializer.constant(0f));
            Value wv = ctx.parameter("v.weight", Shape.of(1, cin, 1, 1), WEIGHT_INIT);
            Value bv = ctx.parameter("v.bias", Shape.of(1), Initializer.constant(0f));
            long hw = h * w;
            Value q = o.transpose(o.reshape(o.conv2d(zi, wqk, bqk, 1, 0, 1, 1), n, inner, hw), 0, 2, 1);
            Value k = o.reshape(o.conv2d(zj, wqk, bqk, 1, 0, 1, 1), n, inner, hw);
            Value v = o.reshape(o.conv2d(zj, wv, bv, 1, 0, 1, 1), n, hw, 1);
            Value scores = o.mul(o.matmul(q, k), (float) (1.0 / Math.sqrt(inner)));
            Value attention = o.softmax(scores, 2);
            Value m = o.reshape(o.matmul(attention, v), n, 1, h, w);
            return o.sigmoid(upsample(ctx, m, outH, outW, opt.upsampling()));
        }
    }

    /** torch's F.interpolate(size=...) as ONNX Resize: nearest = asymmetric/floor, bilinear = half-pixel. */
    private static Value upsample(BuildContext ctx, Value m, long outH, long outW, Upsampling mode) {
        if (m.dim(2) == outH && m.dim(3) == outW) {
            return m;
        }
        GraphBuilder b = ctx.builder();
        Value sizes = b.longs(m.dim(0), m.dim(1), outH, outW);
        Map<String, Object> attrs = mode == Upsampling.NEAREST
                ? Map.of("mode", "nearest", "coordinate_transformation_mode", "asymmetric", "nearest_mode", "floor")
                : Map.of("mode", "linear", "coordinate_transformation_mode", "half_pixel");
        return b.op("Resize", Arrays.asList(m, null, null, sizes), attrs);
    }

    /** The names of the four parameters registered by {@link #apply}. */
    public static List<String> parameterNames() {
        return List.of(SCOPE + ".qk.weight", SCOPE + ".qk.bias", SCOPE + ".v.weight", SCOPE + ".v.bias");
    }
}
