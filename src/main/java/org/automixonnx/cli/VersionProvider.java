package org.automixonnx.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** The version Maven writes into {@code version.properties} at build time (resource filtering). */
final class VersionProvider implements IVersionProvider {
    static final String RESOURCE = "/org/automixonnx/version.properties";

    @Override
    public String[] getVersion() {
        return new String[] {"automix-onnx " + version()};
    }

    static String version() {
        try (InputStream in = VersionProvider.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
