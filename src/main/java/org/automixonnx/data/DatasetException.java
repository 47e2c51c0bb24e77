package org.automixonnx.data;

/** A data set that cannot be read or used: the message names the file and what is wrong with it. */
public class DatasetException extends RuntimeException {
    public DatasetException(String message) {
        super(message);
    }

    public DatasetException(String message, Throwable cause) {
        super(message, cause);
    }
}
