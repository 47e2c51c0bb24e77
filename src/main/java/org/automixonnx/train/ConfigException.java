package org.automixonnx.train;

/** An invalid run configuration; the message says which key and why. */
public class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }
}
