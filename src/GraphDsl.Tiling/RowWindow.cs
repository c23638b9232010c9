namespace GraphDsl.Tiling;

/// <summary>How an operator maps output rows to input rows along NHWC axis 1 (height): output row
/// <c>o</c> reads input rows <c>o*Stride - PadBefore + d*Dilation</c> for <c>d</c> in
/// <c>0..Kernel-1</c>, rows outside <c>0..InputRows-1</c> being padding.</summary>
/// <remarks>TFLite's SAME padding puts the smaller half of the total padding before
/// (<c>ComputePaddingHeightWidth</c> in tensorflow/lite/kernels/padding.h: offset = total % 2
/// goes after), so <see cref="PadBefore"/> is <c>total / 2</c>.</remarks>
/// <param name="Kernel">Filter height in rows (1 for pointwise and PAD).</param>
/// <param name="Stride">Rows between two output rows' windows.</param>
/// <param name="Dilation">Rows between two filter taps.</param>
/// <param name="PadBefore">Padding rows above row 0 of the input.</param>
/// <param name="InputRows">Height of the whole input.</param>
public sealed record RowWindow(long Kernel, long Stride, long Dilation, long PadBefore, long InputRows)
{
    /// <summary>The rows of a pointwise operator: output row r reads input row r.</summary>
    public static RowWindow Identity(long rows) => new(1, 1, 1, 0, rows);

    /// <summary>Rows one window spans: <c>(Kernel - 1) * Dilation + 1</c>.</summary>
    public long Effective => (Kernel - 1) * Dilation + 1;

    /// <summary>The input rows output rows [<paramref name="first"/>, <paramref name="end"/>) read,
    /// before clipping to the input: may start below 0 or end past <see cref="InputRows"/>
    /// (those rows are padding).</summary>
    public RowRange InputRowsOf(long first, long end) =>
        new(first * Stride - PadBefore, (end - 1) * Stride - PadBefore + Effective);
}

/// <summary>Rows [<paramref name="First"/>, <paramref name="End"/>) of a tensor (NHWC axis 1).</summary>
public readonly record struct RowRange(long First, long End)
{
    public long Count => End - First;

    /// <summary>The range clipped to rows 0..<paramref name="rows"/>-1.</summary>
    public RowRange Clip(long rows) => new(Math.Max(0, First), Math.Min(rows, End));

    /// <summary>The smallest range holding both.</summary>
    public RowRange Union(RowRange other) => new(Math.Min(First, other.First), Math.Max(End, other.End));

    public override string ToString() => $"[{First}, {End})";
}
