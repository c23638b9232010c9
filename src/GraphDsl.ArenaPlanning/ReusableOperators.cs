using GraphDsl.Ir;

namespace GraphDsl.ArenaPlanning;

/// <summary>Which operator types (TFLite builtin names and ONNX op types) can share bytes between
/// an input and their output, and in which way.</summary>
public static class ReusableOperators
{
    /// <summary>Operators whose output is their first input reinterpreted: same bytes, new shape.</summary>
    public static readonly IReadOnlySet<string> Views = new HashSet<string>(CanonicalTypes.Instance)
    {
        "RESHAPE", "SQUEEZE", "EXPAND_DIMS",
        "Reshape", "Squeeze", "Unsqueeze", "Flatten", "Identity", "Dropout",
    };

    /// <summary>Operators where output element i depends only on element i of the full-size input
    /// (other inputs may broadcast), so the output may be written over that input.</summary>
    public static readonly IReadOnlySet<string> Elementwise = new HashSet<string>(CanonicalTypes.Instance)
    {
        "ADD", "SUB", "MUL", "DIV", "RELU", "RELU6", "RELU_N1_TO_1", "RELU_0_TO_1", "LEAKY_RELU",
        "PRELU", "LOGISTIC", "TANH", "HARD_SWISH", "ABS", "NEG", "EXP", "LOG", "SQRT", "RSQRT",
        "SQUARE", "MINIMUM", "MAXIMUM", "ELU", "GELU", "QUANTIZE", "DEQUANTIZE",
        "Add", "Sub", "Mul", "Div", "Sum", "Relu", "LeakyRelu", "PRelu", "Sigmoid", "HardSigmoid",
        "HardSwish", "Tanh", "Clip", "BatchNormalization", "Abs", "Neg", "Exp", "Log", "Sqrt",
        "Min", "Max", "Elu", "Selu", "Erf", "Gelu", "QuantizeLinear", "DequantizeLinear",
    };

    /// <summary>Operators that join their inputs along the <c>axis</c> attribute.</summary>
    public static readonly IReadOnlySet<string> Concats = new HashSet<string>(CanonicalTypes.Instance)
    {
        "CONCATENATION", "Concat",
    };

    /// <summary>Compares operator types by <see cref="Operator.CanonicalType"/>, so the text
    /// <c>ai.onnx.Concat</c> (kept as written, it prints back the same) matches <c>Concat</c>.</summary>
    private sealed class CanonicalTypes : IEqualityComparer<string>
    {
        public static readonly CanonicalTypes Instance = new();
        public bool Equals(string? x, string? y) => x is null || y is null ? x == y : Operator.CanonicalType(x) == Operator.CanonicalType(y);
        public int GetHashCode(string obj) => StringComparer.Ordinal.GetHashCode(Operator.CanonicalType(obj));
    }

    /// <summary>True when the output is the first input reinterpreted: a view operator, or a
    /// concatenation of a single input (an identity copy, which TFLite converters leave behind).</summary>
    public static bool IsView(Operator op) =>
        Views.Contains(op.OpType) || (Concats.Contains(op.OpType) && op.Inputs.Count == 1 && op.Inputs[0] is not null);

    /// <summary>The concat axis, normalized to 0..rank-1, or null when absent or out of range.</summary>
    public static int? ConcatAxis(Operator op, int rank)
    {
        if (op.Attributes["axis"]?.AsInt() is not { } axis) return null;
        if (axis < 0) axis += rank;
        return axis >= 0 && axis < rank ? (int)axis : null;
    }

    /// <summary>True when every input of a concat along <paramref name="axis"/> is one contiguous
    /// byte range of the output: all dimensions before the axis are 1 (NCHW channel concat with
    /// batch 1). NHWC channel concat interleaves inputs per pixel, so it is contiguous only when
    /// H*W == 1.</summary>
    public static bool IsContiguousConcat(Shape output, int axis)
    {
        for (int d = 0; d < axis; d++)
            if (output.Dims[d].Value != 1) return false;
        return output.IsFullyKnown;
    }
}
