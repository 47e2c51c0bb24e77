package org.automixonnx.train;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;

/**
 * Reads a run.yaml ({@code --config}) into a {@link TrainConfig}. Every problem fails in one line naming the file
 * and, where it has one, the key, the line and what the key takes: a folder or device, a file over
 * {@link #MAX_FILE_BYTES}, text that is not UTF-8, an empty file, malformed YAML, a key given twice, an unknown key,
 * a value of the wrong kind.
 */
final class ConfigFile {
    /** A config file larger than this is not a config (a run.yaml is a few hundred bytes). */
    static final long MAX_FILE_BYTES = 1 << 20;

    private ConfigFile() {
    }

    static TrainConfig read(Path file) throws IOException {
        if (Files.isDirectory(file)) {
            throw new ConfigException("config file " + file + " is a folder; give a YAML file");
        }
        if (!Files.exists(file)) {
            throw new ConfigException("config file not found: " + file);
        }
        if (!Files.isRegularFile(file)) {
            throw new ConfigException("config file " + file + " is not a regular file (a device, pipe or socket)");
        }
        if (Files.size(file) > MAX_FILE_BYTES) {
            throw new ConfigException("config file " + file + " is " + Files.size(file) + " bytes; a config may have"
                    + " at most " + MAX_FILE_BYTES);
        }
        String text = utf8Text(file);
        if (text.isBlank()) {
            throw new ConfigException("config file " + file + " is empty; a config has 'key: value' lines");
        }
        try {
            TrainConfig c = TrainConfig.yaml().readValue(text, TrainConfig.class);
            return c == null ? new TrainConfig() : c;
        } catch (UnrecognizedPropertyException e) {
            throw new ConfigException(file + ": unknown key '" + e.getPropertyName() + "'" + location(e)
                    + "; known keys: " + e.getKnownPropertyIds());
        } catch (MismatchedInputException e) {
            String key = key(e);
            String got = e instanceof InvalidFormatException f ? " (got '" + f.getValue() + "')" : "";
            throw new ConfigException(file + ": " + (key.isEmpty() ? "a config is a map of keys, 'key: value' lines"
                    : "key '" + key + "' takes " + kind(e.getTargetType())) + got + location(e));
        } catch (JsonMappingException e) {
            String key = key(e);
            throw new ConfigException(file + ": " + (key.isEmpty() ? "" : "key '" + key + "': ")
                    + e.getOriginalMessage() + location(e));
        } catch (JsonProcessingException e) {
            throw new ConfigException(file + ": invalid YAML: " + e.getOriginalMessage().strip()
                    .replaceAll("\\s*\\n\\s*", "; ") + location(e));
        }
    }

    /** The key a mapping problem is at, e.g. "automix.emaStart" (empty at the top). */
    private static String key(JsonMappingException e) {
        return e.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
    }

    /** What a value of {@code type} is written as in YAML. */
    private static String kind(Class<?> type) {
        if (type == null) {
            return "another kind of value";
        }
        if (type == double.class || type == Double.class || type == float.class || type == Float.class) {
            return "a number";
        }
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
            return "a whole number";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        return type == String.class ? "a text" : "a section of keys, 'key: value' lines indented under it";
    }

    /** The file's text; one that is not UTF-8 (e.g. saved as Latin-1) is refused, naming the first bad byte. */
    private static String utf8Text(Path file) throws IOException {
        ByteBuffer in = ByteBuffer.wrap(Files.readAllBytes(file));
        CharBuffer text = CharBuffer.allocate(in.remaining());
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder(); // reports malformed input (no replacement)
        CoderResult r = utf8.decode(in, text, true);
        if (r.isError()) {
            throw new ConfigException("config file " + file + " is not UTF-8 text (byte 0x"
                    + Integer.toHexString(in.get(in.position()) & 0xff) + " at offset " + in.position()
                    + "); save it as UTF-8");
        }
        utf8.flush(text);
        return text.flip().toString();
    }

    private static String location(JsonProcessingException e) {
        return e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")";
    }
}
