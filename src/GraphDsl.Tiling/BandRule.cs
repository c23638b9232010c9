using GraphDsl.Ir;

namespace GraphDsl.Tiling;

/// <summary>What kind of band copy an operator gets.</summary>
public enum BandKind
{
    /// <summary>Convolutions and pools (CONV_2D, DEPTHWISE_CONV_2D, AVERAGE_POOL_2D, MAX_POOL_2D;
    /// ONNX Conv, MaxPool, AveragePool): a window over input 0;
    /// the other inputs are constants read whole by every band.</summary>
    Window,
    /// <summary>PAD: its row padding is split between the first and last bands.</summary>
    Pad,
    /// <summary>Output row r depends on row r of each activation input only (elementwise,
    /// activations, residual ADD, channel concatenation).</summary>
    Pointwise,
}

/// <summary>How one operator of a region is cut into bands: its row window and the padding the
/// band copy must add (columns and channels are never cut).</summary>
/// <param name="Rows">Row geometry (input 0 for windows and PAD).</param>
/// <param name="PadLeft">Columns of padding before column 0 (SAME padding, or PAD's).</param>
/// <param name="PadRight">Columns of padding after the last column.</param>
/// <param name="ChannelPad">PAD's channel padding (before, after); zero for the others.</param>
/// <param name="PadsWithZeroPoint">The original pads rows/columns (SAME convolution or PAD), so
/// band copies get an explicit PAD with the zero point and run VALID (NHWC); false where band
/// copies keep their own border padding (<see cref="BandLayout.PadsInOperator"/>).</param>
public sealed record BandRule(BandKind Kind, RowWindow Rows, long PadLeft, long PadRight, (long Before, long After) ChannelPad, bool PadsWithZeroPoint);

/// <summary>Recognizes the operators row-band tiling can cut and gives their
/// <see cref="BandRule"/>: one rule table for every <see cref="BandLayout"/> (TFLite builtins on
/// NHWC, ONNX operators on NCHW; batch 1, int8 or float).</summary>
public static class BandRules
{
    /// <summary>The band rule of <paramref name="op"/> in TFLite's NHWC layout, or null with the reason.</summary>
    public static BandRule? Describe(Graph graph, Operator op, out string? why) => Describe(graph, op, BandLayout.Nhwc, out why);

    /// <summary>The band rule of <paramref name="op"/> in <paramref name="layout"/>, or null with the reason in <paramref name="why"/>.</summary>
    public static BandRule? Describe(Graph graph, Operator op, BandLayout layout, out string? why)
    {
        why = null;
        var outputs = op.PresentOutputs.ToArray();
        if (outputs.Length != 1) { why = "it has more than one output"; return null; }
        var output = graph.FindTensor(outputs[0]);
        if (output is null || !BandLayout.IsBatch1(output.Type.Shape)) { why = $"its output is not {layout.Name} with batch 1 and a known shape"; return null; }
        if (op.Inputs.Count == 0 || op.Inputs[0] is not { } first || graph.FindTensor(first) is not { } input) { why = "it has no input"; return null; }
        if (layout.IsWindow(op.OpType)) return Window(graph, op, layout, input, output, out why);
        if (layout.IsPad(op.OpType)) return Pad(graph, op, layout, input, out why);
        bool concat = layout.IsConcat(op.OpType);
        if (concat && ConcatAxis(op, output) != layout.ChannelAxis) { why = "it does not join channels"; return null; }
        if (concat || layout.IsPointwise(op.OpType))
        {
            foreach (var name in op.PresentInputs)
            {
                var t = graph.FindTensor(name);
                if (t is null) { why = $"input '{name}' is missing"; return null; }
                // A channel concatenation's inputs differ from its output in channels only.
                bool rowsMatch = concat
                    ? BandLayout.IsBatch1(t.Type.Shape) && layout.Rows(t.Type.Shape) == layout.Rows(output.Type.Shape) && layout.Columns(t.Type.Shape) == layout.Columns(output.Type.Shape)
                    : t.Type.Shape.Equals(output.Type.Shape);
                if (t.IsActivation && !rowsMatch) { why = $"activation input '{name}' does not have the output's rows"; return null; }
                if (!t.IsActivation && (concat || layout.RowsOfConstant(t.Type.Shape, output.Type.Shape.Rank) > 1)) { why = $"constant '{name}' varies along the rows"; return null; }
            }
            return new BandRule(BandKind.Pointwise, RowWindow.Identity(layout.Rows(output.Type.Shape)), 0, 0, (0, 0), false);
        }
        why = $"{op.OpType} is not a row-local operator the tiler knows";
        return null;
    }

    private static long? ConcatAxis(Operator op, Tensor output) =>
        op.Attributes["axis"]?.AsInt() is { } axis ? (axis < 0 ? axis + output.Type.Shape.Rank : axis) : null;

    private static BandRule? Window(Graph graph, Operator op, BandLayout layout, Tensor input, Tensor output, out string? why)
    {
        if (!BandLayout.IsBatch1(input.Type.Shape)) { why = $"its input is not {layout.Name} with batch 1"; return null; }
        if (op.PresentInputs.Skip(1).Any(n => graph.FindTensor(n) is not { IsActivation: false })) { why = "a filter or bias is an activation"; return null; }
        if (layout.Window(graph, op, input, out why) is not { } g) return null;
        // TFLite stores strides, dilations and the PAD/SLICE operands bands need as int32
        // (schema.fbs); larger values (fuzz: dilation_h_factor=2147483647) are not tiled.
        if (new[] { g.StrideH, g.StrideW, g.DilationH, g.DilationW, g.KernelH, g.KernelW }.Any(v => v > int.MaxValue)) { why = "a stride, dilation or filter size exceeds int32"; return null; }
        long effH = (g.KernelH - 1) * g.DilationH + 1, effW = (g.KernelW - 1) * g.DilationW + 1;
        if (effH > int.MaxValue || effW > int.MaxValue || new[] { g.PadTop, g.PadBottom, g.PadLeft, g.PadRight }.Any(p => p > int.MaxValue))
        { why = "its dilated filter or padding exceeds int32"; return null; }
        long h = layout.Rows(input.Type.Shape), w = layout.Columns(input.Type.Shape);
        long ho = layout.Rows(output.Type.Shape), wo = layout.Columns(output.Type.Shape);
        // Every output row's window lies within the padded input: then a band's window rows are
        // exactly its input rows plus the padding it touches.
        if (h + g.PadTop + g.PadBottom < effH || ho != (h + g.PadTop + g.PadBottom - effH) / g.StrideH + 1
            || w + g.PadLeft + g.PadRight < effW || wo != (w + g.PadLeft + g.PadRight - effW) / g.StrideW + 1)
        { why = "its output size does not follow its padding"; return null; }
        bool pads = (g.PadTop | g.PadBottom | g.PadLeft | g.PadRight) != 0;
        // A pool leaves padding out of its window (average over fewer cells, max of real cells),
        // which no PAD value reproduces; ONNX band copies keep their own pads instead.
        if (pads && g.IsPool && !layout.PadsInOperator) { why = "a pool with SAME padding excludes the border from its window"; return null; }
        return new BandRule(BandKind.Window, new RowWindow(g.KernelH, g.StrideH, g.DilationH, g.PadTop, h), g.PadLeft, g.PadRight, (0, 0),
            pads && !layout.PadsInOperator);
    }

    private static BandRule? Pad(Graph graph, Operator op, BandLayout layout, Tensor input, out string? why)
    {
        why = null;
        if (!BandLayout.IsBatch1(input.Type.Shape)) { why = $"its input is not {layout.Name} with batch 1"; return null; }
        if (op.Inputs.Count != 2 || op.Inputs[1] is not { } pName || graph.FindTensor(pName) is not { Data: ConstantData.Inline inline } p
            || p.Type.ElementType != DataType.Int32 || inline.Bytes.Count != 32)
        { why = "its paddings are not an inline int32 [4,2] constant"; return null; }
        var bytes = inline.Bytes.AsImmutableArray().AsSpan();
        var pad = new long[8];
        for (int i = 0; i < 8; i++) pad[i] = BitConverter.ToInt32(bytes.Slice(i * 4, 4));
        if (pad[0] != 0 || pad[1] != 0) { why = "it pads the batch"; return null; }
        if (pad.Any(v => v < 0)) { why = "a padding is negative"; return null; }
        return new BandRule(BandKind.Pad, new RowWindow(1, 1, 1, pad[2], layout.Rows(input.Type.Shape)), pad[4], pad[5], (pad[6], pad[7]), true);
    }

    /// <summary>True for a fully known rank-4 shape with batch 1 (NHWC or NCHW alike).</summary>
    public static bool IsNhwcBatch1(Shape shape) => BandLayout.IsBatch1(shape);
}
