package org.automixonnx.data;

/** One image being augmented: float CHW pixels whose size may change along the pipeline. */
public final class ImageBuffer {
    public float[] data;
    public int channels;
    public int height;
    public int width;

    public ImageBuffer(float[] data, int channels, int height, int width) {
        this.data = data;
        this.channels = channels;
        this.height = height;
        this.width = width;
    }

    public float get(int c, int y, int x) {
        return data[(c * height + y) * width + x];
    }
}
