package org.automixonnx.autodiff;

/**
 * The table of built-in gradient rules: one line per operator type, like PyTorch's derivatives.yaml.
 * Rule bodies live in family classes ({@code *Grads}); this file only says which rule serves which op.
 */
final class StandardRules {
    private StandardRules() {
    }

    static GradientRegistry register(GradientRegistry r) {
        // element-wise arithmetic and activations
        r.register("Add", ElementwiseGrads::add);
        r.register("Sub", ElementwiseGrads::sub);
        r.register("Mul", ElementwiseGrads::mul);
        r.register("Div", ElementwiseGrads::div);
        r.register("Sum", ElementwiseGrads::sum);
        r.register("Neg", ElementwiseGrads::neg);
        r.register("Identity", ElementwiseGrads::identity);
        r.register("Relu", ElementwiseGrads::relu);
        r.register("Sigmoid", ElementwiseGrads::sigmoid);
        r.register("Tanh", ElementwiseGrads::tanh);
        r.register("Exp", ElementwiseGrads::exp);
        r.register("Log", ElementwiseGrads::log);
        r.register("Sqrt", ElementwiseGrads::sqrt);
        r.register("Reciprocal", ElementwiseGrads::reciprocal);
        r.register("Erf", ElementwiseGrads::erf);
        r.register("Cast", ElementwiseGrads::cast);
        r.register("Pow", ElementwiseGrads::pow);

        // selections: the gradient goes to the element that was picked
        r.register("Abs", SelectGrads::abs);
        r.register("Where", SelectGrads::where);
        r.register("Max", SelectGrads::extremum);
        r.register("Min", SelectGrads::extremum);
        r.register("Clip", SelectGrads::clip);
        r.register("ReduceMax", SelectGrads::reduceMax);

        // shape manipulation
        r.register("Reshape", ShapeGrads::reshapeBack);
        r.register("Flatten", ShapeGrads::flatten);
        r.register("Squeeze", ShapeGrads::reshapeBack);
        r.register("Unsqueeze", ShapeGrads::reshapeBack);
        r.register("Transpose", ShapeGrads::transpose);
        r.register("Concat", ShapeGrads::concat);
        r.register("Split", ShapeGrads::split);
        r.register("Slice", ShapeGrads::slice);
        r.register("Expand", ShapeGrads::expand);
        r.register("Tile", ShapeGrads::tile);

        // indexing
        r.register("Gather", IndexGrads::gather);
        r.register("GatherElements", IndexGrads::gatherElements);

        // normalisation
        r.register("Softmax", SoftmaxGrads::softmax);
        r.register("LogSoftmax", SoftmaxGrads::logSoftmax);
        r.register("LayerNormalization", NormGrads::layerNorm);

        // composites (groups of primitive nodes differentiated as one operation)
        r.register("BatchNormTraining", BatchNormGrads::batchNormTraining);
        r.register(BatchGemmConv.COMPOSITE, BatchGemmConv::backward);

        // linear algebra
        r.register("MatMul", LinearGrads::matmul);
        r.register("Gemm", LinearGrads::gemm);

        // convolution, pooling, resampling
        r.register("Conv", ConvGrads::conv);
        r.register("GlobalAveragePool", PoolGrads::globalAveragePool);
        r.register("AveragePool", PoolGrads::averagePool);
        r.register("MaxPool", PoolGrads::maxPool);
        r.register("Resize", ResizeGrads::resize);
        r.register("Pad", PadGrads::pad);

        // reductions
        r.register("ReduceSum", ReduceGrads::reduceSum);
        r.register("ReduceMean", ReduceGrads::reduceMean);

        // outputs that carry no gradient
        r.nonDifferentiable("Shape", "Greater", "Less", "Equal", "GreaterOrEqual", "LessOrEqual", "Not", "And", "Or",
                "ArgMax", "ArgMin", "OneHot", "ConstantOfShape", "Constant", "Range", "Floor", "Ceil", "Round", "Sign");
        return r;
    }
}
