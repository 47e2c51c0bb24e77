package org.automixonnx.cli;

import java.util.Iterator;
import org.automixonnx.mixup.MethodRegistry;

/**
 * The registered method names as picocli completion candidates: {@code --method} and {@code --methods} list them in
 * their help with {@code ${COMPLETION-CANDIDATES}}, and shells complete them.
 */
final class MethodNames implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
        return MethodRegistry.standard().names().iterator();
    }
}
