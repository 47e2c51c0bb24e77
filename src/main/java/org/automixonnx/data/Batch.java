package org.automixonnx.data;

/** A batch ready for a graph: float NCHW images, int64 labels and the data set indices they came from. */
public record Batch(int index, float[] images, long[] labels, int[] sampleIndices, int channels, int height,
        int width) {
    public int size() {
        return labels.length;
    }
}
