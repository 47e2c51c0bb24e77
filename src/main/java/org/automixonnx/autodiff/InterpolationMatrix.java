package org.automixonnx.autodiff;

import org.automixonnx.onnx.Shape;
import org.automixonnx.onnx.Tensor;

/**
 * The [out, in] matrix A of one axis of an ONNX Resize (mode nearest or linear), so that resizing
 * that axis is {@code y = A x}. Coordinates follow ONNX Runtime's CPU kernel, in float32 like it:
 * the output index maps to a source coordinate by the coordinate transformation mode, then nearest
 * rounds it to one source index and linear blends the two neighbours of the (clamped) coordinate.
 */
final class InterpolationMatrix {
    private InterpolationMatrix() {
    }

    /** Which axis-resampling an ONNX Resize node asks for. */
    record Mode(String mode, String coordinates, String nearest) {
        void validate() {
            if (!mode.equals("nearest") && !mode.equals("linear")) {
                throw new IllegalArgumentException("Resize mode " + mode + " is not supported (nearest, linear)");
            }
            switch (coordinates) {
                case "half_pixel", "pytorch_half_pixel", "align_corners", "asymmetric", "tf_half_pixel_for_nn" -> {
                }
                default -> throw new IllegalArgumentException(
                        "coordinate_transformation_mode " + coordinates + " is not supported");
            }
            switch (nearest) {
                case "round_prefer_floor", "round_prefer_ceil", "floor", "ceil" -> {
                }
                default -> throw new IllegalArgumentException("nearest_mode " + nearest + " is not supported");
            }
        }
    }

    /** Row-major [out][in] weights; {@code scale} is the Resize scale of this axis (out/in when sizes are given). */
    static float[][] of(Mode m, int in, int out, float scale) {
        float[][] a = new float[out][in];
        for (int i = 0; i < out; i++) {
            float src = sourceCoordinate(m.coordinates(), i, scale, in, out);
            if (m.mode().equals("nearest")) {
                int j = clamp(roundNearest(m.nearest(), src), in);
                a[i][j] = 1f;
            } else {
                float s = Math.max(0f, Math.min(src, in - 1));
                int lo = Math.min((int) s, in - 1);
                int hi = Math.min(lo + 1, in - 1);
                float wHi = s - lo;
                if (lo == hi) {
                    a[i][lo] = 1f;
                } else {
                    a[i][lo] += 1f - wHi;
                    a[i][hi] += wHi;
                }
            }
        }
        return a;
    }

    private static float sourceCoordinate(String mode, int i, float scale, int in, int out) {
        return switch (mode) {
            case "half_pixel" -> (i + 0.5f) / scale - 0.5f;
            case "pytorch_half_pixel" -> out > 1 ? (i + 0.5f) / scale - 0.5f : 0f;
            case "align_corners" -> out == 1 ? 0f : i * (float) (in - 1) / (out - 1);
            case "asymmetric" -> i / scale;
            case "tf_half_pixel_for_nn" -> (i + 0.5f) / scale;
            default -> throw new IllegalArgumentException(mode);
        };
    }

    private static int roundNearest(String mode, float x) {
        return switch (mode) {
            case "floor" -> (int) Math.floor(x);
            case "ceil" -> (int) Math.ceil(x);
            case "round_prefer_ceil" -> (int) Math.floor(x + 0.5f);
            default -> x == Math.floor(x) + 0.5f ? (int) Math.floor(x) : Math.round(x);
        };
    }

    private static int clamp(int j, int in) {
        return Math.max(0, Math.min(j, in - 1));
    }

    /** The matrix as a constant tensor, transposed ([in, out]) when {@code transposed}. */
    static Tensor tensor(float[][] a, boolean transposed) {
        int out = a.length;
        int in = a[0].length;
        float[] v = new float[out * in];
        for (int i = 0; i < out; i++) {
            for (int j = 0; j < in; j++) {
                v[transposed ? j * out + i : i * in + j] = a[i][j];
            }
        }
        return transposed ? Tensor.ofFloats(Shape.of(in, out), v) : Tensor.ofFloats(Shape.of(out, in), v);
    }
}
