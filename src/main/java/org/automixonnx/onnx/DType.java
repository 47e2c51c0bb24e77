package org.automixonnx.onnx;

/** Element types we use, with their ONNX {@code TensorProto.DataType} codes and byte sizes. */
public enum DType {
    FLOAT(1, 4),
    UINT8(2, 1),
    INT32(6, 4),
    INT64(7, 8),
    BOOL(9, 1),
    DOUBLE(11, 8);

    public final int onnxCode;
    public final int byteSize;

    DType(int onnxCode, int byteSize) {
        this.onnxCode = onnxCode;
        this.byteSize = byteSize;
    }

    public static DType fromOnnx(int code) {
        for (DType t : values()) {
            if (t.onnxCode == code) {
                return t;
            }
        }
        throw new OnnxException("unsupported ONNX element type code " + code);
    }
}
