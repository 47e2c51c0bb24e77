package org.automixonnx.cli;

import org.automixonnx.runtime.Device;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Parses {@code --device}; a bad value is a usage error (exit 2), not a runtime failure. */
final class DeviceConverter implements ITypeConverter<Device> {
    @Override
    public Device convert(String value) {
        try {
            return Device.parse(value);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }
}
