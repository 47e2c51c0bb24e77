package org.automixonnx.train;

/** Training produced a non-finite loss; the message names the iteration and the loss term. */
public class DivergenceException extends RuntimeException {
    public DivergenceException(String message) {
        super(message);
    }
}
