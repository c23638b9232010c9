using GraphDsl.Ir;

namespace GraphDsl.Tiling;

/// <summary>What kind of band copy an operator gets.</summary>
public enum BandKind
{
    /// <summary>CONV_2D, DEPTHWISE_CONV_2D, AVERAGE_POOL_2D, MAX_POOL_2D: a window over input 0;
    /// the other inputs are constants read whole by every band.</summary>
    Window,
    /// <summary>PAD: its row padding is split between the first and last bands.</summary>
    Pad,
    /// <summary>Output row r depends on row r of each activation input only (elementwise,
    /// activations, residual ADD).</summary>
    Pointwise,
}

/// <summary>How one operator of a region is cut into bands: its row window and the padding the
/// band copy must add (columns and channels are never cut).</summary>
/// <param name="Rows">Row geometry (input 0 for windows and PAD).</param>
/// <param name="PadLeft">Columns of padding before column 0 (SAME padding, or PAD's).</param>
/// <param name="PadRight">Columns of padding after the last column.</param>
/// <param name="ChannelPad">PAD's channel padding (before, after); zero for the others.</param>
/// <param name="PadsWithZeroPoint">The original pads rows/columns (SAME convolution or PAD), so
/// band copies get an explicit PAD with the zero point and run VALID.</param>
public sealed record BandRule(BandKind Kind, RowWindow Rows, long PadLeft, long PadRight, (long Before, long After) ChannelPad, bool PadsWithZeroPoint);

/// <summary>Recognizes the operators row-band tiling can cut (TFLite builtins on NHWC batch-1
/// int8/float tensors) and gives their <see cref="BandRule"/>.</summary>
public static class BandRules
{
    /// <summary>Operators whose output row r reads row r of each activation input only. Constant
    /// inputs must not vary along the rows (checked on their shape).</summary>
    public static readonly IReadOnlySet<string> Pointwise = new HashSet<string>(StringComparer.Ordinal)
    {
        "ADD", "SUB", "MUL", "MAXIMUM", "MINIMUM", "RELU", "RELU6", "RELU_N1_TO_1", "RELU_0_TO_1",
        "LEAKY_RELU", "PRELU", "LOGISTIC", "TANH", "HARD_SWISH", "ABS", "NEG", "QUANTIZE", "DEQUANTIZE",
    };

    /// <summary>Window operators: a filter slides over input 0.</summary>
    public static readonly IReadOnlySet<string> Windows = new HashSet<string>(StringComparer.Ordinal)
    {
        "CONV_2D", "DEPTHWISE_CONV_2D", "AVERAGE_POOL_2D", "MAX_POOL_2D",
    };

    /// <summary>The band rule of <paramref name="op"/>, or null with the reason in <paramref name="why"/>.</summary>
    public static BandRule? Describe(Graph graph, Operator op, out string? why)
    {
        why = null;
        var outputs = op.PresentOutputs.ToArray();
        if (outputs.Length != 1) { why = "it has more than one output"; return null; }
        var output = graph.FindTensor(outputs[0]);
        if (output is null || !IsNhwcBatch1(output.Type.Shape)) { why = "its output is not NHWC with batch 1 and a known shape"; return null; }
        if (op.Inputs.Count == 0 || op.Inputs[0] is not { } first || graph.FindTensor(first) is not { } input) { why = "it has no input"; return null; }
        if (Windows.Contains(op.OpType)) return Window(graph, op, input, output, out why);
        if (op.OpType == "PAD") return Pad(graph, op, input, output, out why);
        if (Pointwise.Contains(op.OpType))
        {
            foreach (var name in op.PresentInputs)
            {
                var t = graph.FindTensor(name);
                if (t is null) { why = $"input '{name}' is missing"; return null; }
                if (t.IsActivation && !t.Type.Shape.Equals(output.Type.Shape))
                { why = $"activation input '{name}' does not have the output's rows"; return null; }
                if (!t.IsActivation && RowsOf(t.Type.Shape, output.Type.Shape.Rank) > 1) { why = $"constant '{name}' varies along the rows"; return null; }
            }
            return new BandRule(BandKind.Pointwise, RowWindow.Identity(output.Type.Shape.Dims[1].Value!.Value), 0, 0, (0, 0), false);
        }
        why = $"{op.OpType} is not a row-local operator the tiler knows";
        return null;
    }

    private static BandRule? Window(Graph graph, Operator op, Tensor input, Tensor output, out string? why)
    {
        why = null;
        if (!IsNhwcBatch1(input.Type.Shape)) { why = "its input is not NHWC with batch 1"; return null; }
        long kh, kw;
        if (op.OpType is "CONV_2D" or "DEPTHWISE_CONV_2D")
        {
            if (op.Inputs.Count < 2 || op.Inputs[1] is not { } wName || graph.FindTensor(wName) is not { } w || w.IsActivation
                || w.Type.Shape.Rank != 4 || !w.Type.Shape.IsFullyKnown)
            { why = "its filter is not a constant of rank 4"; return null; }
            if (op.PresentInputs.Skip(1).Any(n => graph.FindTensor(n) is not { IsActivation: false })) { why = "a filter or bias is an activation"; return null; }
            kh = w.Type.Shape.Dims[1].Value!.Value;
            kw = w.Type.Shape.Dims[2].Value!.Value;
        }
        else
        {
            if (op.Inputs.Count != 1) { why = "a pool has one input"; return null; }
            if (Int(op, "filter_height") is not { } fh || Int(op, "filter_width") is not { } fw) { why = "filter size attributes are missing"; return null; }
            (kh, kw) = (fh, fw);
        }
        long sh = Int(op, "stride_h") ?? 1, sw = Int(op, "stride_w") ?? 1;
        long dh = Int(op, "dilation_h_factor") ?? 1, dw = Int(op, "dilation_w_factor") ?? 1;
        if (sh < 1 || sw < 1 || dh < 1 || dw < 1 || kh < 1 || kw < 1) { why = "stride, dilation or filter is not positive"; return null; }
        // TFLite stores strides, dilations and the PAD/SLICE operands bands need as int32
        // (schema.fbs); larger values (fuzz: dilation_h_factor=2147483647) are not tiled.
        if (new[] { sh, sw, dh, dw, kh, kw }.Any(v => v > int.MaxValue)) { why = "a stride, dilation or filter size exceeds int32"; return null; }
        // TFLite's enum names are upper case; the graph language also accepts and prints "same"/"valid".
        var padding = (op.Attributes["padding"] as AttributeValue.Str)?.Value?.ToUpperInvariant();
        long h = input.Type.Shape.Dims[1].Value!.Value, wIn = input.Type.Shape.Dims[2].Value!.Value;
        long ho = output.Type.Shape.Dims[1].Value!.Value, wo = output.Type.Shape.Dims[2].Value!.Value;
        long effH = (kh - 1) * dh + 1, effW = (kw - 1) * dw + 1;
        long totalH, totalW;
        if (padding == "VALID")
        {
            (totalH, totalW) = (0, 0);
            if (ho != (h - effH) / sh + 1 || wo != (wIn - effW) / sw + 1) { why = "its output size does not follow VALID padding"; return null; }
        }
        else if (padding == "SAME")
        {
            if (ho != (h + sh - 1) / sh || wo != (wIn + sw - 1) / sw) { why = "its output size does not follow SAME padding"; return null; }
            totalH = Math.Max((ho - 1) * sh + effH - h, 0);
            totalW = Math.Max((wo - 1) * sw + effW - wIn, 0);
        }
        else { why = "its padding is neither SAME nor VALID"; return null; }
        if (effH > int.MaxValue || effW > int.MaxValue || totalH > int.MaxValue || totalW > int.MaxValue)
        { why = "its dilated filter or padding exceeds int32"; return null; }
        bool pads = totalH > 0 || totalW > 0;
        // A pool leaves padding out of its window (average over fewer cells, max of real cells),
        // which no PAD value reproduces.
        if (pads && op.OpType is "AVERAGE_POOL_2D" or "MAX_POOL_2D") { why = "a pool with SAME padding excludes the border from its window"; return null; }
        return new BandRule(BandKind.Window, new RowWindow(kh, sh, dh, totalH / 2, h), totalW / 2, totalW - totalW / 2, (0, 0), pads);
    }

    private static BandRule? Pad(Graph graph, Operator op, Tensor input, Tensor output, out string? why)
    {
        why = null;
        if (!IsNhwcBatch1(input.Type.Shape)) { why = "its input is not NHWC with batch 1"; return null; }
        if (op.Inputs.Count != 2 || op.Inputs[1] is not { } pName || graph.FindTensor(pName) is not { Data: ConstantData.Inline inline } p
            || p.Type.ElementType != DataType.Int32 || inline.Bytes.Count != 32)
        { why = "its paddings are not an inline int32 [4,2] constant"; return null; }
        var bytes = inline.Bytes.AsImmutableArray().AsSpan();
        var pad = new long[8];
        for (int i = 0; i < 8; i++) pad[i] = BitConverter.ToInt32(bytes.Slice(i * 4, 4));
        if (pad[0] != 0 || pad[1] != 0) { why = "it pads the batch"; return null; }
        if (pad.Any(v => v < 0)) { why = "a padding is negative"; return null; }
        return new BandRule(BandKind.Pad, new RowWindow(1, 1, 1, pad[2], input.Type.Shape.Dims[1].Value!.Value), pad[4], pad[5], (pad[6], pad[7]), true);
    }

    /// <summary>True for a fully known rank-4 shape with batch 1.</summary>
    public static bool IsNhwcBatch1(Shape shape) =>
        shape.IsFullyKnown && shape.Rank == 4 && shape.Dims[0].Value == 1 && shape.Dims.All(d => d.Value > 0);

    /// <summary>Extent of a (broadcast) constant along the row axis of an output of rank
    /// <paramref name="outputRank"/>: its dimension rank-3 from the end (NumPy broadcasting).</summary>
    private static long RowsOf(Shape shape, int outputRank)
    {
        int axis = shape.Rank - (outputRank - 1);
        return axis >= 0 && axis < shape.Rank ? shape.Dims[axis].Value ?? long.MaxValue : 1;
    }

    private static long? Int(Operator op, string name) => op.Attributes[name]?.AsInt();
}
