package org.automixonnx.onnx;

/** A problem with an ONNX graph or file: the message names the node, value or file concerned. */
public class OnnxException extends RuntimeException {
    public OnnxException(String message) {
        super(message);
    }

    public OnnxException(String message, Throwable cause) {
        super(message, cause);
    }
}
