using GraphDsl.Ir.Diagnostics;

namespace GraphDsl.Ir;

/// <summary>The output shape a TFLite builtin computes from its inputs, for the operators whose
/// rule is simple and certain; used to check the shapes a hand-written <c>.gdsl</c> declares
/// (memory figures are sums of declared sizes, so a wrong shape gives a wrong arena).</summary>
/// <remarks>
/// Rules follow TFLM's <c>Prepare</c> functions (tensorflow/lite/micro/kernels: conv.cc,
/// depthwise_conv.cc, pooling.cc via <c>ComputePaddingHeightWidth</c> in
/// kernels/padding.h, concatenation.cc, pad.cc, reshape.cc, fully_connected.cc, and
/// <c>ProcessBroadcastShapes</c> for the elementwise ops). Attributes are read in both spellings the
/// graph language accepts: the schema's (<c>stride_h</c>, <c>filter_width</c>,
/// <c>dilation_h_factor</c>) and the short lists (<c>stride=[h, w]</c>, <c>filter=[h, w]</c>,
/// <c>dilation=[h, w]</c>). An operator whose shapes or attributes are not all known, or whose type
/// has no rule here, is not checked (null), never guessed.
/// </remarks>
public static class TfliteShapeRules
{
    public static readonly DiagnosticDescriptor DeclaredShapeMismatch = new("GD1112", Severity.Error,
        "operator {0} declares its output as {1}, but {2} gives {3}");

    public static readonly DiagnosticDescriptor BadOperands = new("GD1113", Severity.Error, "operator {0}: {1}");

    /// <summary>Checks output 0 of every operator of every graph whose shapes are all known against
    /// <see cref="Expected"/> (RESHAPE, SQUEEZE and EXPAND_DIMS: the element count); GD1112 errors
    /// located at the operator.</summary>
    public static IReadOnlyList<Diagnostic> Check(Model model)
    {
        var diagnostics = new List<Diagnostic>();
        var path = model.Origin.Location?.Path ?? "model";
        foreach (var graph in model.Graphs)
            for (int i = 0; i < graph.Operators.Count; i++)
            {
                var op = graph.Operators[i];
                if (op.Outputs.Count == 0 || op.Outputs[0] is not { } outName || graph.FindTensor(outName) is not { } output
                    || !output.Type.Shape.IsFullyKnown) continue;
                var location = IrVerifier.LocationOf(graph, i, path);
                if (op.OpType is "RESHAPE" or "SQUEEZE" or "EXPAND_DIMS")
                {
                    if (op.Inputs.Count > 0 && op.Inputs[0] is { } inName && graph.FindTensor(inName)?.Type.Shape is { IsFullyKnown: true } input
                        && input.ElementCount != output.Type.Shape.ElementCount)
                        diagnostics.Add(Diagnostic.Create(DeclaredShapeMismatch, location, op.Label(i), output.Type.Shape,
                            $"{op.OpType} keeps the element count of its input {input}, so it", $"{input.ElementCount} elements, not {output.Type.Shape.ElementCount}"));
                    continue;
                }
                if (Problem(graph, op) is { } problem)
                {
                    diagnostics.Add(Diagnostic.Create(BadOperands, location, op.Label(i), problem));
                    continue;
                }
                if (Expected(graph, op, out var rule) is { } expected && !expected.Equals(output.Type.Shape))
                    diagnostics.Add(Diagnostic.Create(DeclaredShapeMismatch, location, op.Label(i), output.Type.Shape, rule, expected));
            }
        return diagnostics;
    }

    private static readonly HashSet<string> SameShape = new(StringComparer.Ordinal)
    {
        "RELU", "RELU6", "RELU_N1_TO_1", "RELU_0_TO_1", "LEAKY_RELU", "ELU", "GELU", "LOGISTIC", "TANH",
        "HARD_SWISH", "ABS", "NEG", "EXP", "LOG", "SQRT", "RSQRT", "SQUARE", "SIN", "COS", "FLOOR", "CEIL",
        "ROUND", "QUANTIZE", "DEQUANTIZE", "SOFTMAX", "LOG_SOFTMAX", "L2_NORMALIZATION",
        "LOCAL_RESPONSE_NORMALIZATION",
    };

    private static readonly HashSet<string> Broadcasting = new(StringComparer.Ordinal)
    {
        "ADD", "SUB", "MUL", "DIV", "MAXIMUM", "MINIMUM", "SQUARED_DIFFERENCE", "POW", "FLOOR_DIV", "FLOOR_MOD",
        "PRELU", "LESS", "LESS_EQUAL", "GREATER", "GREATER_EQUAL", "EQUAL", "NOT_EQUAL",
    };

    /// <summary>The shape output 0 of <paramref name="op"/> must have, with the rule's name in
    /// <paramref name="rule"/> (e.g. "CONV_2D, SAME padding, stride 2x2"); null when the operator is
    /// not checked. Throws nothing on malformed attributes: those are simply not checked.</summary>
    public static Shape? Expected(Graph graph, Operator op, out string rule)
    {
        rule = op.OpType;
        var inputs = op.Inputs.Select(n => n is null ? null : graph.FindTensor(n)?.Type.Shape).ToArray();
        if (inputs.Length == 0 || inputs[0] is not { IsFullyKnown: true } x) return null;
        long[] xd = Dims(x);
        if (SameShape.Contains(op.OpType)) return x;
        if (Broadcasting.Contains(op.OpType)) return Broadcast(inputs, ref rule);
        return op.OpType switch
        {
            "CONCATENATION" => Concat(op, inputs, ref rule),
            "CONV_2D" or "DEPTHWISE_CONV_2D" => Conv(op, xd, inputs, ref rule),
            "AVERAGE_POOL_2D" or "MAX_POOL_2D" or "L2_POOL_2D" => Pool(op, xd, ref rule),
            "PAD" or "PADV2" or "MIRROR_PAD" => Pad(graph, op, xd, ref rule),
            "FULLY_CONNECTED" => FullyConnected(op, xd, inputs, ref rule),
            _ => null,
        };
    }

    /// <summary>What makes the operands or attributes of a checked operator impossible for TFLM
    /// (the same kernels' Prepare checks), or null. Unknown shapes and absent operands or
    /// attributes are not problems: a graph written for memory alone may leave out weights and
    /// strides (e.g. <c>CONV_2D(x)</c>), and is then simply not checked.</summary>
    public static string? Problem(Graph graph, Operator op)
    {
        var shapes = op.Inputs.Select(n => n is null ? null : graph.FindTensor(n)?.Type.Shape).ToArray();
        var x = shapes.Length > 0 && shapes[0] is { IsFullyKnown: true } s0 ? Dims(s0) : null;
        switch (op.OpType)
        {
            case "CONV_2D" or "DEPTHWISE_CONV_2D":
                if (shapes.Length >= 2 && shapes[1] is { IsFullyKnown: true } w)
                {
                    if (w.Rank != 4) return $"its filter {w} is not of rank 4";
                    long filterChannels = w.Dims[3].Value!.Value;
                    if (x is { Length: 4 } && op.OpType == "CONV_2D" && (filterChannels == 0 || x[3] % filterChannels != 0))
                        return $"its filter {w} reads {filterChannels} channels, which do not divide the input's {x[3]}";
                    if (x is { Length: 4 } && op.OpType == "DEPTHWISE_CONV_2D" && (x[3] == 0 || filterChannels % x[3] != 0))
                        return $"its filter {w} has {filterChannels} channels, not a multiple of the input's {x[3]}";
                }
                return WindowProblem(op, pool: false);
            case "AVERAGE_POOL_2D" or "MAX_POOL_2D" or "L2_POOL_2D":
                return WindowProblem(op, pool: true);
            case "CONCATENATION":
                if (Int(op, "axis") is not { } axis || x is null) return null;
                if (axis < -x.Length || axis >= x.Length) return $"axis {axis} is outside the inputs' rank {x.Length}";
                long a = axis < 0 ? axis + x.Length : axis;
                foreach (var s in shapes.Skip(1))
                    if (s is { IsFullyKnown: true } && (s.Rank != x.Length || Enumerable.Range(0, x.Length).Any(d => d != a && s.Dims[d].Value != x[d])))
                        return $"input {s} does not match {shapes[0]} outside axis {a}";
                return null;
            default:
                if (Broadcasting.Contains(op.OpType) && shapes.All(s => s is { IsFullyKnown: true }))
                {
                    string rule = "";
                    if (Broadcast(shapes, ref rule) is null) return $"its inputs {string.Join(", ", shapes.Select(s => s!.ToString()))} do not broadcast";
                }
                return null;
        }
    }

    private static string? WindowProblem(Operator op, bool pool)
    {
        var padding = (op.Attributes["padding"] as AttributeValue.Str)?.Value;
        if (padding is not null && padding.ToUpperInvariant() is not ("SAME" or "VALID")) return $"padding '{padding}' is neither same nor valid";
        if (Pair(op, "stride_h", "stride_w", "stride") is (long sh, long sw) && (sh < 1 || sw < 1)) return $"stride {sh}x{sw} is not positive";
        if (Pair(op, "dilation_h_factor", "dilation_w_factor", "dilation") is (long dh, long dw) && (dh < 1 || dw < 1))
            return $"dilation {dh}x{dw} is not positive";
        return pool && Pair(op, "filter_height", "filter_width", "filter") is (long fh, long fw) && (fh < 1 || fw < 1)
            ? $"filter {fh}x{fw} is not positive" : null;
    }

    private static Shape? Broadcast(Shape?[] inputs, ref string rule)
    {
        if (inputs.Any(s => s is not { IsFullyKnown: true })) return null;
        int rank = inputs.Max(s => s!.Rank);
        var result = new long[rank];
        for (int i = 0; i < rank; i++)
        {
            long d = 1;
            foreach (var s in inputs)
            {
                int j = i - (rank - s!.Rank);
                if (j < 0) continue;
                long v = s.Dims[j].Value!.Value;
                if (v == 1) continue;
                if (d != 1 && d != v) return null; // not broadcastable: TFLM refuses it, another check's job
                d = v;
            }
            result[i] = d;
        }
        rule += " (NumPy broadcasting of the inputs)";
        return Shape.Of(result);
    }

    private static Shape? Concat(Operator op, Shape?[] inputs, ref string rule)
    {
        if (inputs.Any(s => s is not { IsFullyKnown: true })) return null;
        int rank = inputs[0]!.Rank;
        if (inputs.Any(s => s!.Rank != rank) || Int(op, "axis") is not { } a) return null;
        long axis = a < 0 ? a + rank : a;
        if (axis < 0 || axis >= rank) return null;
        var result = Dims(inputs[0]!);
        result[axis] = inputs.Sum(s => s!.Dims[(int)axis].Value!.Value);
        rule += $" (sum along axis {axis})";
        return Shape.Of(result);
    }

    private static Shape? Conv(Operator op, long[] x, Shape?[] inputs, ref string rule)
    {
        if (x.Length != 4 || inputs.Length < 2 || inputs[1] is not { IsFullyKnown: true, Rank: 4 } w) return null;
        var k = Dims(w);
        if (Spatial(op, x, k[1], k[2], ref rule) is not (long h, long wo)) return null;
        // CONV_2D filters are [out, kh, kw, in]; DEPTHWISE_CONV_2D filters [1, kh, kw, in * multiplier].
        long channels = op.OpType == "CONV_2D" ? k[0] : k[3];
        return Shape.Of(x[0], h, wo, channels);
    }

    private static Shape? Pool(Operator op, long[] x, ref string rule)
    {
        if (x.Length != 4) return null;
        var filter = Pair(op, "filter_height", "filter_width", "filter");
        if (filter is not (long fh, long fw)) return null;
        if (Spatial(op, x, fh, fw, ref rule) is not (long h, long w)) return null;
        return Shape.Of(x[0], h, w, x[3]);
    }

    /// <summary>Output rows and columns of a sliding window (TFLM kernels/padding.h).</summary>
    private static (long, long)? Spatial(Operator op, long[] x, long kh, long kw, ref string rule)
    {
        var padding = (op.Attributes["padding"] as AttributeValue.Str)?.Value?.ToUpperInvariant();
        if (padding is not ("SAME" or "VALID")) return null;
        if (Pair(op, "stride_h", "stride_w", "stride") is not (long sh, long sw)) return null;
        var (dh, dw) = Pair(op, "dilation_h_factor", "dilation_w_factor", "dilation") ?? (1, 1);
        if (sh < 1 || sw < 1 || dh < 1 || dw < 1 || kh < 1 || kw < 1) return null;
        rule += $" ({padding} padding, stride {sh}x{sw}" + (dh * dw > 1 ? $", dilation {dh}x{dw}" : "") + ")";
        return padding == "SAME"
            ? ((x[1] + sh - 1) / sh, (x[2] + sw - 1) / sw)
            : ((x[1] - ((kh - 1) * dh + 1)) / sh + 1, (x[2] - ((kw - 1) * dw + 1)) / sw + 1);
    }

    private static Shape? Pad(Graph graph, Operator op, long[] x, ref string rule)
    {
        if (op.Inputs.Count < 2 || op.Inputs[1] is not { } name || graph.FindTensor(name) is not { Data: ConstantData.Inline inline } p) return null;
        int width = p.Type.ElementType == DataType.Int64 ? 8 : p.Type.ElementType == DataType.Int32 ? 4 : 0;
        if (width == 0 || inline.Bytes.Count != x.Length * 2 * width) return null;
        var bytes = inline.Bytes.AsImmutableArray().AsSpan();
        var result = (long[])x.Clone();
        for (int i = 0; i < x.Length; i++)
        {
            long before = width == 8 ? BitConverter.ToInt64(bytes.Slice(2 * i * 8, 8)) : BitConverter.ToInt32(bytes.Slice(2 * i * 4, 4));
            long after = width == 8 ? BitConverter.ToInt64(bytes.Slice((2 * i + 1) * 8, 8)) : BitConverter.ToInt32(bytes.Slice((2 * i + 1) * 4, 4));
            result[i] += before + after;
        }
        rule += " (input plus its paddings)";
        return Shape.Of(result);
    }

    /// <summary>FULLY_CONNECTED: weights [units, depth]; the input is flattened to rows of depth
    /// (fully_connected.cc); keep_num_dims keeps the input's leading dimensions.</summary>
    private static Shape? FullyConnected(Operator op, long[] x, Shape?[] inputs, ref string rule)
    {
        if (inputs.Length < 2 || inputs[1] is not { IsFullyKnown: true, Rank: 2 } w) return null;
        long units = w.Dims[0].Value!.Value, depth = w.Dims[1].Value!.Value;
        long elements = x.Aggregate(1L, (a, b) => a * b);
        if (depth <= 0 || elements % depth != 0) return null;
        bool keep = op.Attributes["keep_num_dims"] is AttributeValue.Bool { Value: true };
        rule += keep ? " (keep_num_dims: input dims with the last replaced by the units)" : " (rows of the input flattened by the weights' depth, then the units)";
        return keep ? Shape.Of([.. x[..^1], units]) : Shape.Of(elements / depth, units);
    }

    private static (long, long)? Pair(Operator op, string h, string w, string list)
    {
        if (Int(op, h) is { } a && Int(op, w) is { } b) return (a, b);
        return op.Attributes[list]?.AsInts() is [var c, var d] ? (c, d) : null;
    }

    private static long? Int(Operator op, string name) => op.Attributes[name]?.AsInt();

    private static long[] Dims(Shape s) => s.Dims.Select(d => d.Value!.Value).ToArray();
}
