package org.automixonnx.cli;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Parses an {@code --out} path; an empty one is a usage error (exit 2): it would name the working folder, which
 * an empty variable in a script should never turn into the output.
 */
final class OutPathConverter implements ITypeConverter<Path> {
    @Override
    public Path convert(String value) {
        if (value.isBlank()) {
            throw new TypeConversionException("an empty path would be the working folder; give a file or folder name");
        }
        try {
            return Path.of(value);
        } catch (InvalidPathException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }
}
