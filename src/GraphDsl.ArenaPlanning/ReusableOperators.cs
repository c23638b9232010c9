using GraphDsl.Ir;

namespace GraphDsl.ArenaPlanning;

/// <summary>Which operator types (TFLite builtin names and ONNX op types) can share bytes between
/// an input and their output, and in which way.</summary>
public static class ReusableOperators
{
    /// <summary>Operators whose output is their first input reinterpreted: same bytes, new shape.</summary>
    public static readonly IReadOnlySet<string> Views = new HashSet<string>(StringComparer.Ordinal)
    {
        "RESHAPE", "SQUEEZE", "EXPAND_DIMS",
        "Reshape", "Squeeze", "Unsqueeze", "Flatten", "Identity", "Dropout",
    };

    /// <summary>Operators where output element i depends only on element i of the full-size input
    /// (other inputs may broadcast), so the output may be written over that input.</summary>
    public static readonly IReadOnlySet<string> Elementwise = new HashSet<string>(StringComparer.Ordinal)
    {
        "ADD", "SUB", "MUL", "DIV", "RELU", "RELU6", "RELU_N1_TO_1", "RELU_0_TO_1", "LEAKY_RELU",
        "PRELU", "LOGISTIC", "TANH", "HARD_SWISH", "ABS", "NEG", "EXP", "LOG", "SQRT", "RSQRT",
        "SQUARE", "MINIMUM", "MAXIMUM", "ELU", "GELU", "QUANTIZE", "DEQUANTIZE",
        "Add", "Sub", "Mul", "Div", "Sum", "Relu", "LeakyRelu", "PRelu", "Sigmoid", "HardSigmoid",
        "HardSwish", "Tanh", "Clip", "BatchNormalization", "Abs", "Neg", "Exp", "Log", "Sqrt",
        "Min", "Max", "Elu", "Selu", "Erf", "Gelu", "QuantizeLinear", "DequantizeLinear",
    };

    /// <summary>Operators that join their inputs along the <c>axis</c> attribute.</summary>
    public static readonly IReadOnlySet<string> Concats = new HashSet<string>(StringComparer.Ordinal)
    {
        "CONCATENATION", "Concat",
    };

    /// <summary>True when the output is the first input reinterpreted: a view operator, or a
    /// concatenation of a single input (an identity copy, which TFLite converters leave behind).</summary>
    public static bool IsView(Operator op) =>
        Views.Contains(op.OpType) || (Concats.Contains(op.OpType) && op.Inputs.Count == 1 && op.Inputs[0] is not null);

    /// <summary>Byte offset of a SLICE's output inside its input when the output is one contiguous
    /// byte range of it, else null: begin and size are inline int32 constants, and for some axis a
    /// every axis before a has size 1 and every axis after a is taken whole (a band of rows of an
    /// NHWC batch-1 tensor). Rule of the reference kernel: tensorflow/lite/micro/kernels/slice.cc
    /// copies input[begin + i] to output[i], so at this offset it copies each byte onto itself.</summary>
    public static long? SliceViewOffset(Graph graph, Operator op)
    {
        if (op.OpType != "SLICE" || op.Inputs.Count != 3 || op.Inputs[0] is not { } inName || op.Outputs.Count != 1) return null;
        if (graph.FindTensor(inName) is not { IsActivation: true } input || !input.Type.Shape.IsFullyKnown) return null;
        if (op.Outputs[0] is not { } outName || graph.FindTensor(outName) is not { } output || !output.Type.Shape.IsFullyKnown) return null;
        var begin = Int32s(graph, op.Inputs[1]);
        var size = Int32s(graph, op.Inputs[2]);
        var dims = input.Type.Shape.Dims.Select(d => d.Value!.Value).ToArray();
        int rank = dims.Length;
        if (begin is null || size is null || begin.Length != rank || size.Length != rank) return null;
        var bits = input.Type.ElementType.BitsPerElement();
        if (bits % 8 != 0 || bits != output.Type.ElementType.BitsPerElement()) return null;
        var take = new long[rank];
        for (int d = 0; d < rank; d++)
        {
            take[d] = size[d] == -1 ? dims[d] - begin[d] : size[d];
            if (begin[d] < 0 || take[d] < 0 || begin[d] + take[d] > dims[d]) return null;
        }
        if (take.Aggregate(1L, (a, b) => a * b) != output.Type.Shape.ElementCount) return null;
        int axis = 0;
        while (axis < rank && take[axis] == 1 && dims[axis] == 1) axis++;
        if (axis == rank) return 0;
        for (int d = 0; d < axis; d++) if (take[d] != 1) return null;
        for (int d = axis + 1; d < rank; d++) if (begin[d] != 0 || take[d] != dims[d]) return null;
        long elements = 0, stride = 1;
        for (int d = rank - 1; d >= 0; d--)
        {
            elements += begin[d] * stride;
            stride *= dims[d];
        }
        return elements * (bits / 8);
    }

    private static long[]? Int32s(Graph graph, string? name)
    {
        if (name is null || graph.FindTensor(name) is not { Data: ConstantData.Inline inline } t || t.Type.ElementType != DataType.Int32) return null;
        var bytes = inline.Bytes.AsImmutableArray();
        if (bytes.Length % 4 != 0) return null;
        return Enumerable.Range(0, bytes.Length / 4).Select(i => (long)BitConverter.ToInt32(bytes.AsSpan(i * 4, 4))).ToArray();
    }

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
