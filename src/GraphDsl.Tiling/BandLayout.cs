using GraphDsl.Ir;

namespace GraphDsl.Tiling;

/// <summary>The geometry of a window operator (convolution or pool) over a batch-1 rank-4
/// tensor, read from the format's attributes; sizes in rows and columns.</summary>
/// <param name="PadTop">Padding rows above row 0 (TFLite SAME: the smaller half; ONNX <c>pads[0]</c>).</param>
/// <param name="PadBottom">Padding rows below the last row.</param>
/// <param name="PadLeft">Padding columns before column 0.</param>
/// <param name="PadRight">Padding columns after the last column.</param>
/// <param name="IsPool">A pool: padded cells are left out of its window (no PAD value reproduces that).</param>
public sealed record WindowGeometry(long KernelH, long KernelW, long StrideH, long StrideW, long DilationH, long DilationW,
    long PadTop, long PadBottom, long PadLeft, long PadRight, bool IsPool);

/// <summary>A row SLICE as the format writes it: the operator type, its attributes and the
/// constant operands (name suffix, element type, values) that follow the sliced tensor.</summary>
public sealed record SliceForm(string OpType, AttributeMap Attributes, IReadOnlyList<(string Suffix, DataType Type, long[] Values)> Operands);

/// <summary>Where rows, columns and channels are in a batch-1 rank-4 activation, and how one
/// format's operators are cut into row bands: which operators are row-local, how a window reads
/// its geometry, and how a band SLICE, CONCATENATION and band copy are written.</summary>
/// <remarks>
/// Two layouts: <see cref="Nhwc"/> (TFLite builtins; a row band is one contiguous byte range, so
/// the planner may make the SLICE a view and the CONCATENATION in place) and <see cref="Nchw"/>
/// (ONNX operators; a row band of an NCHW tensor is C separate byte ranges, so its Slice and the
/// Concat along axis 2 are real copies: <c>ReusableOperators</c> gives no alias to ONNX
/// <c>Slice</c>, and an axis-2 Concat of a tensor with more than one channel is not contiguous).
/// One rule table (<see cref="BandRules"/>) serves both.
/// </remarks>
public abstract class BandLayout
{
    /// <summary>TFLite: NHWC, rows on axis 1, borders padded with an explicit PAD.</summary>
    public static BandLayout Nhwc { get; } = new TfliteNhwc();

    /// <summary>ONNX: NCHW, rows on axis 2, border bands keep their own <c>pads</c>.</summary>
    /// <param name="opset">The model's default-domain opset: from 10 on, Slice takes
    /// starts/ends/axes as inputs (int64 constants), before as attributes (onnx Operators.md).</param>
    public static BandLayout Nchw(long opset) => new OnnxNchw(opset);

    /// <summary>The layout of a model: ONNX (NCHW) when its <c>format</c> attribute says so or its
    /// operators are ONNX operators (a graph-language file), else TFLite (NHWC). The opset comes
    /// from <c>opset_import</c> (<c>"ai.onnx:N"</c>; 13 when absent).</summary>
    public static BandLayout For(Model model)
    {
        var format = (model.Attributes["format"] as AttributeValue.Str)?.Value;
        bool onnx = format == "onnx" || (format is null && model.Main.Operators.Any(o => OnnxNchw.KnownOps.Contains(o.OpType)));
        if (!onnx) return Nhwc;
        long opset = 13;
        if (model.Attributes["opset_import"] is AttributeValue.List list)
            foreach (var item in list.Items)
                if (item is AttributeValue.Str { Value: var s } && s.Split(':') is [var domain, var v] && domain is "ai.onnx" or ""
                    && long.TryParse(v, System.Globalization.CultureInfo.InvariantCulture, out var n))
                    opset = n;
        return Nchw(opset);
    }

    /// <summary>Short name for messages ("NHWC", "NCHW").</summary>
    public abstract string Name { get; }

    /// <summary>Axis of the rows (height).</summary>
    public abstract int RowAxis { get; }

    /// <summary>Axis of the columns (width).</summary>
    public abstract int ColumnAxis { get; }

    /// <summary>Axis of the channels.</summary>
    public abstract int ChannelAxis { get; }

    /// <summary>Most inputs one row CONCATENATION may take (more bands are joined in groups first).</summary>
    public abstract int MaxConcatInputs { get; }

    /// <summary>Operators per TFLite operator of the same network: ONNX exports keep batch
    /// normalization, its scale and shift and the activation as separate nodes
    /// (light_densenet121's stem and first dense block are 78 operators), so a region limit
    /// counted in TFLite operators is multiplied by this.</summary>
    public abstract int RegionOperatorFactor { get; }

    /// <summary>True when band copies of windows carry their own border padding in their
    /// attributes (ONNX <c>pads</c>), so no PAD is needed and padded pools can be cut.</summary>
    public abstract bool PadsInOperator { get; }

    /// <summary>True for a fully known rank-4 shape with batch 1 and positive dimensions.</summary>
    public static bool IsBatch1(Shape shape) =>
        shape.IsFullyKnown && shape.Rank == 4 && shape.Dims[0].Value == 1 && shape.Dims.All(d => d.Value > 0);

    /// <summary>Rows of a batch-1 rank-4 shape.</summary>
    public long Rows(Shape shape) => shape.Dims[RowAxis].Value!.Value;

    /// <summary>Columns of a batch-1 rank-4 shape.</summary>
    public long Columns(Shape shape) => shape.Dims[ColumnAxis].Value!.Value;

    /// <summary>The shape with <paramref name="rows"/> rows.</summary>
    public Shape WithRows(Shape shape, long rows) => new(shape.Dims.AsImmutableArray().SetItem(RowAxis, Dim.Known(rows)));

    /// <summary>Operators whose output row r reads row r of each activation input only (constant
    /// inputs must not vary along the rows).</summary>
    public abstract bool IsPointwise(string opType);

    /// <summary>Convolutions and pools: a window slides over input 0.</summary>
    public abstract bool IsWindow(string opType);

    /// <summary>A concatenation operator (cut when it joins channels).</summary>
    public abstract bool IsConcat(string opType);

    /// <summary>An explicit PAD operator the tiler can split (TFLite's PAD).</summary>
    public virtual bool IsPad(string opType) => false;

    /// <summary>The window's geometry, or null with the reason.</summary>
    public abstract WindowGeometry? Window(Graph graph, Operator op, Tensor input, out string? why);

    /// <summary>The attributes of a window's band copy that reads its input's band with
    /// <paramref name="top"/>/<paramref name="bottom"/> rows of padding still to add.</summary>
    public abstract AttributeMap BandAttributes(Operator op, long top, long bottom, BandRule rule);

    /// <summary>A SLICE of rows <c>[first, first + rows)</c> of a tensor of shape <paramref name="of"/>.</summary>
    public abstract SliceForm Slice(Shape of, long first, long rows);

    /// <summary>A CONCATENATION of row bands along the row axis.</summary>
    public abstract (string OpType, AttributeMap Attributes) RowConcat();

    /// <summary>Extent of a (broadcast) constant along the row axis of an output of rank
    /// <paramref name="outputRank"/> (NumPy broadcasting aligns trailing dimensions).</summary>
    public long RowsOfConstant(Shape shape, int outputRank)
    {
        int axis = shape.Rank - (outputRank - RowAxis);
        return axis >= 0 && axis < shape.Rank ? shape.Dims[axis].Value ?? long.MaxValue : 1;
    }

    private protected static long? Int(Operator op, string name) => op.Attributes[name]?.AsInt();

    private sealed class TfliteNhwc : BandLayout
    {
        private static readonly HashSet<string> Pointwise = new(StringComparer.Ordinal)
        {
            "ADD", "SUB", "MUL", "MAXIMUM", "MINIMUM", "RELU", "RELU6", "RELU_N1_TO_1", "RELU_0_TO_1",
            "LEAKY_RELU", "PRELU", "LOGISTIC", "TANH", "HARD_SWISH", "ABS", "NEG", "QUANTIZE", "DEQUANTIZE",
        };

        private static readonly HashSet<string> Windows = new(StringComparer.Ordinal)
        {
            "CONV_2D", "DEPTHWISE_CONV_2D", "AVERAGE_POOL_2D", "MAX_POOL_2D",
        };

        public override string Name => "NHWC";
        public override int RowAxis => 1;
        public override int ColumnAxis => 2;
        public override int ChannelAxis => 3;
        public override bool PadsInOperator => false;
        public override int RegionOperatorFactor => 1;
        // TFLM's kMaxInputNum (tensorflow/lite/micro/kernels/concatenation.cc).
        public override int MaxConcatInputs => RowBandTiler.MaxConcatInputs;
        public override bool IsPointwise(string opType) => Pointwise.Contains(opType);
        public override bool IsWindow(string opType) => Windows.Contains(opType);
        public override bool IsConcat(string opType) => opType == "CONCATENATION";
        public override bool IsPad(string opType) => opType == "PAD";

        public override WindowGeometry? Window(Graph graph, Operator op, Tensor input, out string? why)
        {
            why = null;
            long kh, kw;
            bool pool = op.OpType is "AVERAGE_POOL_2D" or "MAX_POOL_2D";
            if (!pool)
            {
                if (op.Inputs.Count < 2 || op.Inputs[1] is not { } wName || graph.FindTensor(wName) is not { } w || w.IsActivation
                    || w.Type.Shape.Rank != 4 || !w.Type.Shape.IsFullyKnown)
                { why = "its filter is not a constant of rank 4"; return null; }
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
            // TFLite's enum names are upper case; the graph language also accepts and prints "same"/"valid".
            var padding = (op.Attributes["padding"] as AttributeValue.Str)?.Value?.ToUpperInvariant();
            long h = Rows(input.Type.Shape), wIn = Columns(input.Type.Shape);
            if (padding == "VALID") return new WindowGeometry(kh, kw, sh, sw, dh, dw, 0, 0, 0, 0, pool);
            if (padding != "SAME") { why = "its padding is neither SAME nor VALID"; return null; }
            // SAME: output ceil(in / stride); the smaller half of the total padding goes before
            // (ComputePaddingHeightWidth, tensorflow/lite/kernels/padding.h).
            long ho = (h + sh - 1) / sh, wo = (wIn + sw - 1) / sw;
            long totalH = Math.Max((ho - 1) * sh + ((kh - 1) * dh + 1) - h, 0);
            long totalW = Math.Max((wo - 1) * sw + ((kw - 1) * dw + 1) - wIn, 0);
            return new WindowGeometry(kh, kw, sh, sw, dh, dw, totalH / 2, totalH - totalH / 2, totalW / 2, totalW - totalW / 2, pool);
        }

        public override AttributeMap BandAttributes(Operator op, long top, long bottom, BandRule rule) =>
            op.Attributes["padding"] is not null ? op.Attributes.With("padding", "VALID") : op.Attributes;

        public override SliceForm Slice(Shape of, long first, long rows)
        {
            var dims = WithRows(of, rows).Dims.Select(d => d.Value!.Value).ToArray();
            return new SliceForm("SLICE", AttributeMap.From(("version", 1L)),
                [("begin", DataType.Int32, [0, first, 0, 0]), ("size", DataType.Int32, dims)]);
        }

        public override (string OpType, AttributeMap Attributes) RowConcat() =>
            ("CONCATENATION", AttributeMap.From(("version", 1L), ("axis", 1L), ("fused_activation_function", "NONE")));
    }

    private sealed class OnnxNchw(long opset) : BandLayout
    {
        private static readonly HashSet<string> Pointwise = new(StringComparer.Ordinal)
        {
            "Add", "Sub", "Mul", "Div", "Max", "Min", "Sum", "Relu", "LeakyRelu", "PRelu", "Sigmoid", "HardSigmoid",
            "HardSwish", "Tanh", "Clip", "BatchNormalization", "Abs", "Neg", "Exp", "Elu", "Selu", "Softplus", "Identity",
        };

        private static readonly HashSet<string> Windows = new(StringComparer.Ordinal) { "Conv", "MaxPool", "AveragePool" };

        /// <summary>Operator types that mark a graph-language file as ONNX.</summary>
        public static readonly HashSet<string> KnownOps = new(Pointwise.Concat(Windows).Append("Concat"), StringComparer.Ordinal);

        public override string Name => "NCHW";
        public override int RowAxis => 2;
        public override int ColumnAxis => 3;
        public override int ChannelAxis => 1;
        public override bool PadsInOperator => true;
        public override int RegionOperatorFactor => 2;
        // ONNX Concat is variadic without a bound.
        public override int MaxConcatInputs => int.MaxValue;
        public override bool IsPointwise(string opType) => Pointwise.Contains(opType);
        public override bool IsWindow(string opType) => Windows.Contains(opType);
        public override bool IsConcat(string opType) => opType == "Concat";

        /// <summary>Conv, MaxPool, AveragePool (onnx Operators.md): kernel from <c>kernel_shape</c> or
        /// the weight's dims 2-3, <c>strides</c>, <c>dilations</c>, <c>pads</c> [top, left,
        /// bottom, right] or <c>auto_pad</c> (SAME_UPPER puts the extra row after, SAME_LOWER
        /// before). A <c>ceil_mode</c> pool is cut only when its last window is whole.</summary>
        public override WindowGeometry? Window(Graph graph, Operator op, Tensor input, out string? why)
        {
            why = null;
            bool pool = op.OpType != "Conv";
            var kernel = op.Attributes["kernel_shape"]?.AsInts();
            if (!pool)
            {
                if (op.Inputs.Count < 2 || op.Inputs[1] is not { } wName || graph.FindTensor(wName) is not { } w || w.IsActivation
                    || w.Type.Shape.Rank != 4 || !w.Type.Shape.IsFullyKnown)
                { why = "its weight is not a constant of rank 4"; return null; }
                kernel ??= [w.Type.Shape.Dims[2].Value!.Value, w.Type.Shape.Dims[3].Value!.Value];
            }
            else if (op.PresentInputs.Count() != 1) { why = "a pool has one input"; return null; }
            if (kernel is not { Count: 2 }) { why = "its kernel_shape is not two numbers"; return null; }
            if (pool && (Int(op, "ceil_mode") ?? 0) != 0 && CeilAddsWindow(op, input, kernel)) { why = "ceil_mode adds a partial window"; return null; }
            var strides = op.Attributes["strides"]?.AsInts() ?? [1, 1];
            var dilations = op.Attributes["dilations"]?.AsInts() ?? [1, 1];
            if (strides.Count != 2 || dilations.Count != 2) { why = "strides or dilations are not two numbers"; return null; }
            long kh = kernel[0], kw = kernel[1], sh = strides[0], sw = strides[1], dh = dilations[0], dw = dilations[1];
            if (sh < 1 || sw < 1 || dh < 1 || dw < 1 || kh < 1 || kw < 1) { why = "stride, dilation or kernel is not positive"; return null; }
            var autoPad = (op.Attributes["auto_pad"] as AttributeValue.Str)?.Value ?? "NOTSET";
            long h = Rows(input.Type.Shape), wIn = Columns(input.Type.Shape);
            switch (autoPad)
            {
                case "NOTSET":
                    var pads = op.Attributes["pads"]?.AsInts() ?? [0, 0, 0, 0];
                    if (pads.Count != 4 || pads.Any(p => p < 0)) { why = "its pads are not four non-negative numbers"; return null; }
                    return new WindowGeometry(kh, kw, sh, sw, dh, dw, pads[0], pads[2], pads[1], pads[3], pool);
                case "VALID":
                    return new WindowGeometry(kh, kw, sh, sw, dh, dw, 0, 0, 0, 0, pool);
                case "SAME_UPPER" or "SAME_LOWER":
                    long totalH = Math.Max(((h + sh - 1) / sh - 1) * sh + (kh - 1) * dh + 1 - h, 0);
                    long totalW = Math.Max(((wIn + sw - 1) / sw - 1) * sw + (kw - 1) * dw + 1 - wIn, 0);
                    bool upper = autoPad == "SAME_UPPER";
                    long top = upper ? totalH / 2 : totalH - totalH / 2, left = upper ? totalW / 2 : totalW - totalW / 2;
                    return new WindowGeometry(kh, kw, sh, sw, dh, dw, top, totalH - top, left, totalW - left, pool);
                default:
                    why = $"auto_pad '{autoPad}' is unknown";
                    return null;
            }
        }

        /// <summary>True when ceil_mode's output row count exceeds floor mode's.</summary>
        private static bool CeilAddsWindow(Operator op, Tensor input, IReadOnlyList<long> kernel)
        {
            var pads = op.Attributes["pads"]?.AsInts() ?? [0, 0, 0, 0];
            var strides = op.Attributes["strides"]?.AsInts() ?? [1, 1];
            var dilations = op.Attributes["dilations"]?.AsInts() ?? [1, 1];
            if (pads.Count != 4 || strides.Count != 2 || dilations.Count != 2) return true;
            var dims = input.Type.Shape.Dims;
            for (int a = 0; a < 2; a++)
            {
                long span = dims[2 + a].Value!.Value + pads[a] + pads[a + 2] - ((kernel[a] - 1) * dilations[a] + 1);
                if (span < 0 || strides[a] < 1 || span % strides[a] != 0) return true;
            }
            return false;
        }

        public override AttributeMap BandAttributes(Operator op, long top, long bottom, BandRule rule)
        {
            var attributes = op.Attributes.With("pads", AttributeValue.Ints([top, rule.PadLeft, bottom, rule.PadRight]));
            return op.Attributes["auto_pad"] is not null ? attributes.With("auto_pad", "NOTSET") : attributes;
        }

        public override SliceForm Slice(Shape of, long first, long rows)
        {
            long[] starts = [first], ends = [first + rows], axes = [RowAxis];
            // Slice-1 reads starts/ends/axes from attributes; Slice-10 on takes them as inputs.
            if (opset < 10)
                return new SliceForm("Slice", AttributeMap.From(("starts", AttributeValue.Ints(starts)), ("ends", AttributeValue.Ints(ends)),
                    ("axes", AttributeValue.Ints(axes))), []);
            return new SliceForm("Slice", AttributeMap.Empty,
                [("starts", DataType.Int64, starts), ("ends", DataType.Int64, ends), ("axes", DataType.Int64, axes)]);
        }

        public override (string OpType, AttributeMap Attributes) RowConcat() => ("Concat", AttributeMap.From(("axis", (long)RowAxis)));
    }
}
