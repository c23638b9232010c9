using GraphDsl.Ir;

namespace GraphDsl.Importers.Onnx.Inference;

/// <summary>Operators whose output has the shape of their (broadcast) inputs: activations,
/// arithmetic, comparisons, normalizations, Cast. Integer arithmetic on known values is folded.</summary>
internal static class ElementwiseInference
{
    public static readonly string[] SameShapeOps =
    [
        "Relu", "Sigmoid", "Tanh", "Abs", "Neg", "Exp", "Log", "Sqrt", "Reciprocal", "Floor", "Ceil",
        "Round", "Sign", "Erf", "HardSwish", "HardSigmoid", "LeakyRelu", "Elu", "Selu", "Softplus",
        "Softsign", "Identity", "Softmax", "LogSoftmax", "Hardmax", "Sin", "Cos", "Tan", "Asin", "Acos",
        "Atan", "Sinh", "Cosh", "Asinh", "Acosh", "Atanh", "Not", "LRN", "InstanceNormalization",
        "Celu", "Mish", "Gelu", "ThresholdedRelu", "Shrink", "BitwiseNot", "CumSum", "Trilu",
        "MeanVarianceNormalization", "LpNormalization", "ReverseSequence", "Clip", "PRelu", "EyeLike",
    ];

    public static readonly string[] BroadcastOps =
    [
        "Add", "Sub", "Mul", "Div", "Pow", "Max", "Min", "Sum", "Mean", "Mod", "BitShift",
        "BitwiseAnd", "BitwiseOr", "BitwiseXor",
    ];

    public static readonly string[] ComparisonOps =
        ["Equal", "Less", "Greater", "LessOrEqual", "GreaterOrEqual", "And", "Or", "Xor"];

    public static TensorFacts[]? SameShape(InferenceContext c)
    {
        var x = c.Input(0);
        if (x is null) return c.Fail("input 0 is missing");
        var value = x.Value is { } v && c.Node.OpType is "Identity" or "Neg" or "Abs" or "Not"
            ? ConstValue.Of(x.Type ?? DataType.Int64, v.Shape, i => c.Node.OpType switch
            {
                "Neg" => -v[i],
                "Abs" => Math.Abs(v[i]),
                "Not" => v[i] == 0 ? 1 : 0,
                _ => v[i],
            })
            : null;
        var outType = c.Node.OpType == "EyeLike" && c.Attribute("dtype") is { HasI: true } a ? OnnxElementTypes.FromCode((int)a.I) : x.Type;
        return [new TensorFacts(outType, x.Dims) { Value = value }];
    }

    /// <summary>Dropout: output like the input; the optional mask is bool from opset 10 on and
    /// of the input's type before.</summary>
    public static TensorFacts[]? Dropout(InferenceContext c)
    {
        var x = c.Input(0);
        if (x is null) return c.Fail("input 0 is missing");
        return [x with { Value = null, IsConstant = false }, new TensorFacts(c.Opset >= 10 ? DataType.Bool : x.Type, x.Dims)];
    }

    /// <summary>BatchNormalization: Y like X; training-mode extra outputs are per-channel [C].</summary>
    public static TensorFacts[]? BatchNormalization(InferenceContext c)
    {
        var x = c.Input(0);
        if (x is null) return c.Fail("input 0 is missing");
        var channel = x.Dims is { Length: > 1 } d ? d[1] : c.Input(1)?.Dims?.FirstOrDefault() ?? Dim.Unknown;
        var result = new List<TensorFacts> { new(x.Type, x.Dims) };
        for (int i = 1; i < c.OutputCount; i++) result.Add(new TensorFacts(c.Input(1)?.Type ?? x.Type, [channel]));
        return result.ToArray();
    }

    /// <summary>LayerNormalization: Y like X; Mean and InvStdDev keep the leading dims and
    /// have 1 from <c>axis</c> on.</summary>
    public static TensorFacts[]? LayerNormalization(InferenceContext c)
    {
        var x = c.Input(0);
        if (x?.Dims is null) return c.Fail("the rank of input 0 is unknown");
        long axis = InferenceContext.Axis(c.Int("axis", -1), x.Rank);
        var stats = x.Dims.Select((d, i) => i < axis ? d : Dim.Known(1)).ToArray();
        var result = new List<TensorFacts> { new(x.Type, x.Dims) };
        var statsType = OnnxElementTypes.FromCode((int)c.Int("stash_type", 1));
        for (int i = 1; i < c.OutputCount; i++) result.Add(new TensorFacts(statsType, stats));
        return result.ToArray();
    }

    public static TensorFacts[]? Broadcast(InferenceContext c) => BroadcastTo(c, null);

    public static TensorFacts[]? Comparison(InferenceContext c) => BroadcastTo(c, DataType.Bool);

    private static TensorFacts[]? BroadcastTo(InferenceContext c, DataType? resultType)
    {
        var operands = c.Inputs.Where(i => i is not null).Cast<TensorFacts>().ToList();
        if (operands.Count == 0) return c.Fail("no inputs");
        var dims = BroadcastDims(operands.Select(o => o.Dims));
        if (dims is null) return c.Fail("an input has unknown rank");
        var type = resultType ?? operands[0].Type;
        var value = operands.All(o => o.Value is not null) && operands.Count <= 2 && type is not null
            ? Fold(c.Node.OpType, operands.Select(o => o.Value!).ToList(), dims, type.Value) : null;
        return [new TensorFacts(type, dims) { Value = value }];
    }

    /// <summary>Where(condition, x, y): broadcast of all three, element type of x.</summary>
    public static TensorFacts[]? Where(InferenceContext c)
    {
        var operands = new[] { c.Input(0), c.Input(1), c.Input(2) };
        if (operands.Any(o => o is null)) return c.Fail("Where needs three inputs");
        var dims = BroadcastDims(operands.Select(o => o!.Dims));
        if (dims is null) return c.Fail("an input has unknown rank");
        ConstValue? value = null;
        if (operands.All(o => o!.Value is not null) && dims.All(d => d.IsKnown))
        {
            var shape = dims.Select(d => d.Value!.Value).ToArray();
            var (cond, x, y) = (operands[0]!.Value!, operands[1]!.Value!, operands[2]!.Value!);
            var (ci, xi, yi) = (BroadcastIndex(cond.Shape, shape), BroadcastIndex(x.Shape, shape), BroadcastIndex(y.Shape, shape));
            var idx = MultiIndices(shape).ToList();
            value = ConstValue.Of(operands[1]!.Type ?? DataType.Float32, shape,
                i => cond[ci(idx[i])] != 0 ? x[xi(idx[i])] : y[yi(idx[i])]);
        }
        return [new TensorFacts(operands[1]!.Type, dims) { Value = value }];
    }

    public static TensorFacts[]? Cast(InferenceContext c)
    {
        var x = c.Input(0);
        if (x is null) return c.Fail("input 0 is missing");
        DataType? type = c.Node.OpType == "CastLike" ? c.Input(1)?.Type : OnnxElementTypes.FromCode((int)c.Int("to", 0));
        if (type is null) return c.Fail("the target element type is missing or unknown");
        return [new TensorFacts(type, x.Dims) { Value = x.Value?.ConvertTo(type.Value) }];
    }

    /// <summary>Numpy broadcasting of dimension lists; null when a rank is unknown.</summary>
    public static Dim[]? BroadcastDims(IEnumerable<Dim[]?> shapes)
    {
        var list = shapes.ToList();
        if (list.Any(s => s is null)) return null;
        int rank = list.Max(s => s!.Length);
        var result = new Dim[rank];
        for (int i = 0; i < rank; i++)
        {
            Dim merged = Dim.Known(1);
            foreach (var s in list)
            {
                int k = i - (rank - s!.Length);
                if (k < 0) continue;
                merged = Merge(merged, s[k]);
            }
            result[i] = merged;
        }
        return result;
    }

    private static Dim Merge(Dim a, Dim b)
    {
        if (a.Value == 1) return b;
        if (b.Value == 1) return a;
        if (a.IsKnown) return a;
        if (b.IsKnown) return b;
        return a.Symbol is not null && a.Symbol == b.Symbol ? a : Dim.Unknown;
    }

    private static ConstValue? Fold(string op, List<ConstValue> values, Dim[] dims, DataType type)
    {
        if (!dims.All(d => d.IsKnown)) return null;
        var shape = dims.Select(d => d.Value!.Value).ToArray();
        if (ConstValue.ElementCount(shape) > ConstValue.MaxElements) return null;
        var a = values[0];
        var b = values.Count > 1 ? values[1] : values[0];
        var (ai, bi) = (BroadcastIndex(a.Shape, shape), BroadcastIndex(b.Shape, shape));
        bool integral = ConstValue.IsIntegral(type) || type == DataType.Bool;
        Func<double, double, double>? f = op switch
        {
            "Add" or "Sum" => (x, y) => x + y,
            "Sub" => (x, y) => x - y,
            "Mul" => (x, y) => x * y,
            "Div" => integral ? (x, y) => y == 0 ? 0 : Math.Truncate(x / y) : (x, y) => x / y,
            "Mod" => (x, y) => y == 0 ? 0 : x - y * Math.Floor(x / y),
            "Pow" => Math.Pow,
            "Max" => Math.Max,
            "Min" => Math.Min,
            "Mean" => (x, y) => (x + y) / 2,
            "Equal" => (x, y) => x == y ? 1 : 0,
            "Less" => (x, y) => x < y ? 1 : 0,
            "Greater" => (x, y) => x > y ? 1 : 0,
            "LessOrEqual" => (x, y) => x <= y ? 1 : 0,
            "GreaterOrEqual" => (x, y) => x >= y ? 1 : 0,
            "And" => (x, y) => x != 0 && y != 0 ? 1 : 0,
            "Or" => (x, y) => x != 0 || y != 0 ? 1 : 0,
            "Xor" => (x, y) => (x != 0) ^ (y != 0) ? 1 : 0,
            _ => null,
        };
        if (f is null) return null;
        var idx = MultiIndices(shape).ToList();
        return ConstValue.Of(type, shape, i => f(a[ai(idx[i])], b[bi(idx[i])]));
    }

    /// <summary>Maps an index of the broadcast result to the flat index of an operand.</summary>
    public static Func<long[], long> BroadcastIndex(long[] operand, long[] result)
    {
        var strides = ConstValue.Strides(operand);
        int offset = result.Length - operand.Length;
        return index =>
        {
            long flat = 0;
            for (int d = 0; d < operand.Length; d++)
                if (operand[d] != 1) flat += index[d + offset] * strides[d];
            return flat;
        };
    }

    /// <summary>All multi-indices of <paramref name="shape"/> in row-major order.</summary>
    public static IEnumerable<long[]> MultiIndices(long[] shape)
    {
        long n = ConstValue.ElementCount(shape);
        var index = new long[shape.Length];
        for (long flat = 0; flat < n; flat++)
        {
            yield return (long[])index.Clone();
            for (int d = shape.Length - 1; d >= 0; d--)
            {
                if (++index[d] < shape[d]) break;
                index[d] = 0;
            }
        }
    }
}
