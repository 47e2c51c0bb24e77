package org.automixonnx.autodiff;

import java.util.List;
import org.automixonnx.onnx.GraphBuilder;
import org.automixonnx.onnx.Node;
import org.automixonnx.onnx.OnnxException;
import org.automixonnx.onnx.Ops;
import org.automixonnx.onnx.Tensor;
import org.automixonnx.onnx.Value;

/** What a {@link GradientRule} sees of one forward node, and where it puts the input gradients. */
public final class GradContext {
    private final Node node;
    private final List<Value> inputs;
    private final List<Value> outputs;
    private final List<Value> outputGrads;
    private final boolean[] needs;
    private final Value[] inputGrads;
    private final Ops ops;
    private final java.util.Map<String, Value> saved;

    GradContext(Node node, List<Value> inputs, List<Value> outputs, List<Value> outputGrads, boolean[] needs,
            Ops ops) {
        this(node, inputs, outputs, outputGrads, needs, ops, java.util.Map.of());
    }

    GradContext(Node node, List<Value> inputs, List<Value> outputs, List<Value> outputGrads, boolean[] needs,
            Ops ops, java.util.Map<String, Value> saved) {
        this.saved = saved;
        this.node = node;
        this.inputs = inputs;
        this.outputs = outputs;
        this.outputGrads = outputGrads;
        this.needs = needs;
        this.inputGrads = new Value[inputs.size()];
        this.ops = ops;
    }

    public Node node() {
        return node;
    }

    public Ops ops() {
        return ops;
    }

    public GraphBuilder builder() {
        return ops.builder();
    }

    public int inputCount() {
        return inputs.size();
    }

    /** Forward input i (null when the optional input is omitted). */
    public Value input(int i) {
        return i < inputs.size() ? inputs.get(i) : null;
    }

    public Value output(int i) {
        return outputs.get(i);
    }

    /** Gradient of output i, or null when no gradient reaches that output. */
    public Value gradOutput(int i) {
        return i < outputGrads.size() ? outputGrads.get(i) : null;
    }

    /** Gradient of output 0, which every single-output rule needs. */
    public Value grad() {
        Value g = gradOutput(0);
        if (g == null) {
            throw fail("no gradient reached output 0");
        }
        return g;
    }

    /** Whether the differentiator wants the gradient of input i. */
    public boolean needsGrad(int i) {
        return i < needs.length && needs[i];
    }

    public boolean needsAny() {
        for (boolean n : needs) {
            if (n) {
                return true;
            }
        }
        return false;
    }

    public void setGrad(int i, Value g) {
        if (!needsGrad(i)) {
            return;
        }
        Value in = inputs.get(i);
        if (!g.shape().equals(in.shape())) {
            throw fail("gradient for input " + i + " has shape " + g.shape() + ", input is " + in.shape());
        }
        inputGrads[i] = g;
    }

    /** Sets the gradient of input i after summing away broadcast axes (for numpy-broadcasting ops). */
    public void setGradBroadcast(int i, Value g) {
        if (needsGrad(i)) {
            setGrad(i, ops.sumToShape(g, inputs.get(i).shape()));
        }
    }

    /** The constant data of input i (an initializer or Constant), or a failure naming the node. */
    public Tensor constantInput(int i) {
        Tensor t = builder().constantValue(inputs.get(i));
        if (t == null) {
            throw fail("input " + i + " must be a constant to differentiate this node");
        }
        return t;
    }

    /** A forward intermediate saved by a composite operation for its backward rule. */
    public Value saved(String key) {
        Value v = saved.get(key);
        if (v == null) {
            throw fail("composite saved no value '" + key + "'");
        }
        return v;
    }

    public OnnxException fail(String message) {
        return new OnnxException("gradient of " + node.describe() + ": " + message);
    }

    Value[] inputGrads() {
        return inputGrads;
    }
}
