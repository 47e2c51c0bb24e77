package org.automixonnx.onnx;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One operator application. Inputs and outputs are value names; an empty name marks an omitted
 * optional input, as in ONNX.
 */
public final class Node {
    private final String name;
    private final String opType;
    private final String domain;
    private final List<String> inputs;
    private final List<String> outputs;
    private final Map<String, Attribute> attributes;

    public Node(String name, String opType, String domain, List<String> inputs, List<String> outputs,
            Map<String, Attribute> attributes) {
        this.name = name;
        this.opType = opType;
        this.domain = domain == null ? "" : domain;
        this.inputs = List.copyOf(inputs);
        this.outputs = List.copyOf(outputs);
        this.attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
    }

    public String name() {
        return name;
    }

    public String opType() {
        return opType;
    }

    public String domain() {
        return domain;
    }

    public List<String> inputs() {
        return inputs;
    }

    public List<String> outputs() {
        return outputs;
    }

    public String input(int i) {
        return i < inputs.size() ? inputs.get(i) : "";
    }

    public boolean hasInput(int i) {
        return !input(i).isEmpty();
    }

    public String output(int i) {
        return outputs.get(i);
    }

    public Map<String, Attribute> attributes() {
        return attributes;
    }

    public boolean hasAttr(String key) {
        return attributes.containsKey(key);
    }

    public long attrInt(String key, long defaultValue) {
        Attribute a = attributes.get(key);
        return a == null ? defaultValue : a.asInt();
    }

    public long attrInt(String key) {
        return require(key).asInt();
    }

    public float attrFloat(String key, float defaultValue) {
        Attribute a = attributes.get(key);
        return a == null ? defaultValue : a.asFloat();
    }

    public String attrString(String key, String defaultValue) {
        Attribute a = attributes.get(key);
        return a == null ? defaultValue : a.asString();
    }

    public long[] attrInts(String key, long[] defaultValue) {
        Attribute a = attributes.get(key);
        return a == null ? defaultValue : a.asInts();
    }

    public Attribute require(String key) {
        Attribute a = attributes.get(key);
        if (a == null) {
            throw new OnnxException("node '" + name + "' (" + opType + ") is missing attribute '" + key + "'");
        }
        return a;
    }

    /** Short description for error messages: name, operator and inputs. */
    public String describe() {
        return "node '" + name + "' (" + opType + ")";
    }

    @Override
    public String toString() {
        return name + " = " + opType + "(" + String.join(", ", inputs) + ") -> " + outputs + " " + attributes;
    }
}
