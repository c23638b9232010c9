using System.Buffers.Binary;
using GraphDsl.Ir;

namespace GraphDsl.TestKit.Tflite;

/// <summary>A hand-built IR rewrite, written here independently of any tiling pass: one
/// CONV_2D / DEPTHWISE_CONV_2D / pool of an NHWC batch-1 graph becomes bands of output rows. Per
/// band: SLICE of the input rows it reads (with the halo) -> PAD (TFLite SAME padding: rows only on
/// border bands, columns on every band; the pad value is the zero point, TFLM pad.cc) -> a VALID
/// copy of the operator on the band -> and one CONCATENATION along axis 1 into the original output.
/// Weights and bias stay the same tensors (one buffer shared by every band).</summary>
public static class RowBands
{
    /// <summary>The rewritten graph, and for each band (SLICE output, first input row, band output,
    /// first output row), for plans that place slices and band outputs in place.</summary>
    public sealed record Result(Graph Graph, IReadOnlyList<(string Slice, int InputRow, string Output, int OutputRow)> Bands);

    public static bool IsSplittable(Graph g, Operator op)
    {
        if (op.OpType is not ("CONV_2D" or "DEPTHWISE_CONV_2D" or "AVERAGE_POOL_2D" or "MAX_POOL_2D")) return false;
        var input = g.Tensor(op.Inputs[0]!);
        var output = g.Tensor(op.Outputs[0]!);
        return input.IsActivation && input.Type.Shape.Rank == 4 && input.Type.Shape.IsFullyKnown && input.Type.Shape.Dims[0].Value == 1
            && output.Type.Shape.Dims[1].Value >= 2
            && (op.Attributes["dilation_h_factor"]?.AsInt() ?? 1) == 1 && (op.Attributes["dilation_w_factor"]?.AsInt() ?? 1) == 1
            && input.Type.ElementType is DataType.Int8 or DataType.Float32
            // TFLite pools skip padded elements (the average divides by the in-image count,
            // kernels/internal/reference/pooling.h), so PAD with the zero point is not SAME for them.
            && (op.OpType.Contains("CONV") || op.Attributes["padding"] is AttributeValue.Str { Value: "VALID" });
    }

    /// <summary>Kernel height of a convolution or pool, in rows.</summary>
    public static int KernelHeight(Graph g, Operator op) => op.OpType is "CONV_2D" or "DEPTHWISE_CONV_2D"
        ? (int)g.Tensor(op.Inputs[1]!).Type.Shape.Dims[1].Value!.Value
        : (int)op.Attributes["filter_height"]!.AsInt()!.Value;

    /// <summary>Splits <paramref name="g"/>.Operators[<paramref name="opIndex"/>] into
    /// <paramref name="bands"/> bands of output rows.</summary>
    /// <param name="noHalo">Negative control: bands read only their own rows and pad the halo with
    /// the zero point instead, which is wrong wherever the kernel is taller than the stride.</param>
    public static Result Split(Graph g, int opIndex, int bands, bool noHalo = false)
    {
        var op = g.Operators[opIndex];
        var input = g.Tensor(op.Inputs[0]!);
        var output = g.Tensor(op.Outputs[0]!);
        long[] inDims = input.Type.Shape.Dims.Select(d => d.Value!.Value).ToArray();
        long[] outDims = output.Type.Shape.Dims.Select(d => d.Value!.Value).ToArray();
        int hIn = (int)inDims[1], wIn = (int)inDims[2], hOut = (int)outDims[1], wOut = (int)outDims[2];
        int strideH = (int)op.Attributes["stride_h"]!.AsInt()!, strideW = (int)op.Attributes["stride_w"]!.AsInt()!;
        int kh = KernelHeight(g, op);
        int kw = op.OpType is "CONV_2D" or "DEPTHWISE_CONV_2D"
            ? (int)g.Tensor(op.Inputs[1]!).Type.Shape.Dims[2].Value!.Value // filter [O, kh, kw, I] or [1, kh, kw, O]
            : (int)op.Attributes["filter_width"]!.AsInt()!.Value;
        bool same = op.Attributes["padding"] is AttributeValue.Str { Value: "SAME" };
        // TFLite's SAME rule (kernels/padding.h): total = max((out - 1) * stride + k - in, 0), the
        // smaller half before.
        int padTop = same ? Math.Max((hOut - 1) * strideH + kh - hIn, 0) / 2 : 0;
        int padTotalW = same ? Math.Max((wOut - 1) * strideW + kw - wIn, 0) : 0;
        int padLeft = padTotalW / 2, padRight = padTotalW - padLeft;

        var tensors = g.Tensors.ToList();
        var ops = new List<Operator>();
        var outputsOfBands = new List<string?>();
        var bandInfo = new List<(string, int, string, int)>();
        string prefix = output.Name + "/band";
        for (int b = 0; b < bands; b++)
        {
            int r0 = hOut * b / bands, r1 = hOut * (b + 1) / bands;
            int lo = r0 * strideH - padTop, hi = (r1 - 1) * strideH - padTop + kh; // input rows [lo, hi)
            int top = Math.Max(0, -lo), bottom = Math.Max(0, hi - hIn);
            int first = Math.Max(lo, 0), last = Math.Min(hi, hIn);
            if (noHalo)
            {
                // Wrong on purpose: read only the band's own rows and pad the halo with the zero point.
                int ownFirst = Math.Clamp(r0 * strideH, 0, hIn - 1), ownLast = Math.Clamp(r1 * strideH, ownFirst + 1, hIn);
                first = Math.Max(first, ownFirst);
                last = Math.Min(last, ownLast);
                top = first - lo;
                bottom = hi - last;
            }
            string slice = $"{prefix}{b}/rows", padded = $"{prefix}{b}/padded", result = $"{prefix}{b}";
            int rows = last - first;
            tensors.Add(Constant($"{prefix}{b}/begin", [4], [0, first, 0, 0]));
            tensors.Add(Constant($"{prefix}{b}/size", [4], [1, rows, wIn, (int)inDims[3]]));
            tensors.Add(input with { Name = slice, Type = input.Type with { Shape = Shape.Of(1, rows, wIn, inDims[3]) }, Attributes = AttributeMap.Empty, Annotations = AttributeMap.Empty });
            ops.Add(new Operator("SLICE", new string?[] { input.Name, $"{prefix}{b}/begin", $"{prefix}{b}/size" }, new string?[] { slice })
            { Attributes = AttributeMap.From(("version", 5)) });
            string convInput = slice;
            if (top + bottom + padLeft + padRight > 0)
            {
                tensors.Add(Constant($"{prefix}{b}/paddings", [4, 2], [0, 0, top, bottom, padLeft, padRight, 0, 0]));
                tensors.Add(input with { Name = padded, Type = input.Type with { Shape = Shape.Of(1, rows + top + bottom, wIn + padLeft + padRight, inDims[3]) }, Attributes = AttributeMap.Empty, Annotations = AttributeMap.Empty });
                ops.Add(new Operator("PAD", new string?[] { slice, $"{prefix}{b}/paddings" }, new string?[] { padded })
                { Attributes = AttributeMap.From(("version", 4)) });
                convInput = padded;
            }
            tensors.Add(output with { Name = result, Type = output.Type with { Shape = Shape.Of(1, r1 - r0, wOut, outDims[3]) }, Attributes = AttributeMap.Empty, Annotations = AttributeMap.Empty });
            var inputs = op.Inputs.ToArray();
            inputs[0] = convInput;
            ops.Add(op with
            {
                Inputs = inputs,
                Outputs = new string?[] { result },
                Attributes = op.Attributes.With("padding", "VALID"),
                Annotations = AttributeMap.Empty,
                Origin = default,
            });
            outputsOfBands.Add(result);
            bandInfo.Add((slice, first, result, r0));
        }
        ops.Add(new Operator("CONCATENATION", outputsOfBands.ToArray(), new string?[] { output.Name })
        { Attributes = AttributeMap.From(("version", 3), ("axis", 1), ("fused_activation_function", "NONE")) });

        var operators = g.Operators.ToList();
        operators.RemoveAt(opIndex);
        operators.InsertRange(opIndex, ops);
        return new Result(g with { Tensors = tensors.ToEquatableArray(), Operators = operators.ToEquatableArray() }, bandInfo);
    }

    private static Tensor Constant(string name, long[] shape, int[] values)
    {
        var bytes = new byte[4 * values.Length];
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(4 * i), values[i]);
        return new Tensor(name, new TensorType(DataType.Int32, Shape.Of(shape)))
        {
            Kind = TensorKind.Constant,
            Data = new ConstantData.Inline(bytes),
        };
    }

    /// <summary>A plan that gives every activation its own 16-byte aligned bytes, one after the
    /// other in table order (no reuse, so it is right for any order), except that
    /// <paramref name="inPlace"/> may put a tensor at a chosen offset instead.</summary>
    public static int[] SeparatePlan(Graph g, Func<string, int[], int?>? inPlace = null)
    {
        var offsets = Enumerable.Repeat(-1, g.Tensors.Count).ToArray();
        int next = 0;
        for (int i = 0; i < g.Tensors.Count; i++)
        {
            var t = g.Tensors[i];
            if (!t.IsActivation) continue;
            offsets[i] = next;
            next += (int)((t.ByteSize!.Value + 15) / 16 * 16);
        }
        if (inPlace is null) return offsets;
        for (int i = 0; i < g.Tensors.Count; i++)
            if (inPlace(g.Tensors[i].Name, offsets) is { } o) offsets[i] = o;
        return offsets;
    }

    /// <summary>Bytes of one row (H index) of an NHWC batch-1 tensor.</summary>
    public static int RowBytes(Tensor t) => (int)(t.ByteSize!.Value / t.Type.Shape.Dims[1].Value!.Value);
}
