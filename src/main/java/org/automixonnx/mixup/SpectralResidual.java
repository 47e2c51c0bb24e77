package org.automixonnx.mixup;

import org.jtransforms.fft.DoubleFFT_2D;

/**
 * Spectral-residual saliency (Hou and Zhang, CVPR 2007), the detector SaliencyMix uses: the log amplitude spectrum
 * minus its 3 x 3 local mean is the part of the spectrum that is "unexpected"; transformed back with the original
 * phase, squared and smoothed by a Gaussian, it is bright where the image stands out.
 */
public final class SpectralResidual {
    /** Amplitudes are floored here before the log, so a spectrum with empty bins stays finite. */
    private static final double AMPLITUDE_FLOOR = 1e-12;
    /** Smoothing of the squared map, in pixels (the method's Gaussian, for images of a few dozen pixels). */
    static final double BLUR_SIGMA = 1.0;

    private SpectralResidual() {
    }

    /** The saliency map of a gray image [H][W], same size, >= 0. */
    public static double[][] saliency(double[][] image) {
        int h = image.length;
        int w = image[0].length;
        double[][] f = new double[h][2 * w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                f[y][2 * x] = image[y][x];
            }
        }
        DoubleFFT_2D fft = new DoubleFFT_2D(h, w);
        fft.complexForward(f);
        double[][] logAmplitude = new double[h][w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                logAmplitude[y][x] = Math.log(Math.max(Math.hypot(f[y][2 * x], f[y][2 * x + 1]), AMPLITUDE_FLOOR));
            }
        }
        double[][] local = circularMean3x3(logAmplitude);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double re = f[y][2 * x];
                double im = f[y][2 * x + 1];
                double amplitude = Math.hypot(re, im);
                double residual = Math.exp(logAmplitude[y][x] - local[y][x]);
                // keep the phase: exp(residual) * (re, im) / |.|; an empty bin has phase 0
                f[y][2 * x] = amplitude > 0 ? residual * re / amplitude : residual;
                f[y][2 * x + 1] = amplitude > 0 ? residual * im / amplitude : 0;
            }
        }
        fft.complexInverse(f, true);
        double[][] s = new double[h][w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                s[y][x] = f[y][2 * x] * f[y][2 * x] + f[y][2 * x + 1] * f[y][2 * x + 1];
            }
        }
        return gaussianBlur(s, BLUR_SIGMA);
    }

    /** {row, column} of the largest value (the first in row-major order on ties). */
    public static int[] peak(double[][] map) {
        int[] best = {0, 0};
        for (int y = 0; y < map.length; y++) {
            for (int x = 0; x < map[y].length; x++) {
                if (map[y][x] > map[best[0]][best[1]]) {
                    best = new int[] {y, x};
                }
            }
        }
        return best;
    }

    /** 3 x 3 mean with wrap-around: the spectrum is periodic. */
    private static double[][] circularMean3x3(double[][] a) {
        int h = a.length;
        int w = a[0].length;
        double[][] m = new double[h][w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double sum = 0;
                for (int dy = -1; dy <= 1; dy++) {
                    for (int dx = -1; dx <= 1; dx++) {
                        sum += a[Math.floorMod(y + dy, h)][Math.floorMod(x + dx, w)];
                    }
                }
                m[y][x] = sum / 9;
            }
        }
        return m;
    }

    /** Separable Gaussian, kernel radius 2 sigma, edge pixels repeated beyond the border. */
    static double[][] gaussianBlur(double[][] a, double sigma) {
        int r = (int) Math.ceil(2 * sigma);
        double[] k = new double[2 * r + 1];
        double total = 0;
        for (int i = -r; i <= r; i++) {
            k[i + r] = Math.exp(-i * i / (2 * sigma * sigma));
            total += k[i + r];
        }
        for (int i = 0; i < k.length; i++) {
            k[i] /= total;
        }
        int h = a.length;
        int w = a[0].length;
        double[][] rows = new double[h][w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double s = 0;
                for (int i = -r; i <= r; i++) {
                    s += k[i + r] * a[y][Math.max(0, Math.min(w - 1, x + i))];
                }
                rows[y][x] = s;
            }
        }
        double[][] out = new double[h][w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double s = 0;
                for (int i = -r; i <= r; i++) {
                    s += k[i + r] * rows[Math.max(0, Math.min(h - 1, y + i))][x];
                }
                out[y][x] = s;
            }
        }
        return out;
    }
}
