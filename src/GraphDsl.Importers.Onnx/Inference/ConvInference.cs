using GraphDsl.Ir;

namespace GraphDsl.Importers.Onnx.Inference;

/// <summary>Convolutions and pooling: output spatial extents from kernel, strides, pads,
/// dilations and auto_pad, as the ONNX operator specifications define them.</summary>
internal static class ConvInference
{
    public static TensorFacts[]? Conv(InferenceContext c) => ConvLike(c, 0, 1, c.Input(0)?.Type);

    public static TensorFacts[]? ConvInteger(InferenceContext c) => ConvLike(c, 0, 1, DataType.Int32);

    /// <summary>QLinearConv(x, x_scale, x_zp, w, w_scale, w_zp, y_scale, y_zp, bias): y has y_zp's type.</summary>
    public static TensorFacts[]? QLinearConv(InferenceContext c) => ConvLike(c, 0, 3, c.Input(7)?.Type ?? c.Input(0)?.Type);

    private static TensorFacts[]? ConvLike(InferenceContext c, int xIndex, int wIndex, DataType? type)
    {
        var x = c.Input(xIndex);
        var w = c.Input(wIndex);
        if (x?.Dims is null) return c.Fail($"the rank of input {xIndex} (X) is unknown");
        if (w?.Dims is null) return c.Fail($"the shape of the weights (input {wIndex}) is unknown");
        int spatial = x.Rank - 2;
        if (spatial < 1 || w.Rank != x.Rank) return c.Fail($"X has rank {x.Rank} and W rank {w.Rank}");
        var kernel = c.Ints("kernel_shape") ?? w.Dims.Skip(2).Select(d => d.Value ?? -1).ToArray();
        if (kernel.Any(k => k < 0)) return c.Fail("the kernel shape is unknown");
        var outDims = Spatial(c, x.Dims.Skip(2).ToArray(), kernel, ceil: false);
        if (outDims is null) return null;
        return [new TensorFacts(type, [x.Dims[0], w.Dims[0], .. outDims])];
    }

    public static TensorFacts[]? ConvTranspose(InferenceContext c)
    {
        var x = c.Input(0);
        var w = c.Input(1);
        if (x?.Dims is null) return c.Fail("the rank of input 0 (X) is unknown");
        if (w?.Dims is null || w.Rank < 2) return c.Fail("the shape of the weights (input 1) is unknown");
        int spatial = x.Rank - 2;
        long group = c.Int("group", 1);
        var channels = w.Dims[1].IsKnown ? Dim.Known(w.Dims[1].Value!.Value * group) : Dim.Unknown;
        var kernel = c.Ints("kernel_shape") ?? w.Dims.Skip(2).Select(d => d.Value ?? -1).ToArray();
        var strides = c.Ints("strides") ?? Enumerable.Repeat(1L, spatial).ToArray();
        if (c.Ints("output_shape") is { } explicitShape)
        {
            var tail = explicitShape.Length == spatial ? explicitShape : explicitShape.Skip(explicitShape.Length - spatial).ToArray();
            return [new TensorFacts(x.Type, [x.Dims[0], channels, .. tail.Select(Dim.Known)])];
        }
        if (kernel.Any(k => k < 0)) return c.Fail("the kernel shape is unknown");
        var dilations = c.Ints("dilations") ?? Enumerable.Repeat(1L, spatial).ToArray();
        var outputPadding = c.Ints("output_padding") ?? new long[spatial];
        var pads = c.Ints("pads") ?? new long[2 * spatial];
        string autoPad = c.Str("auto_pad", "NOTSET");
        var result = new Dim[spatial];
        for (int i = 0; i < spatial; i++)
        {
            var input = x.Dims[i + 2];
            if (!input.IsKnown) { result[i] = Dim.Unknown; continue; }
            long n = input.Value!.Value;
            result[i] = autoPad is "SAME_UPPER" or "SAME_LOWER"
                ? n * strides[i]
                : strides[i] * (n - 1) + outputPadding[i] + (kernel[i] - 1) * dilations[i] + 1 - pads[i] - pads[i + spatial];
        }
        return [new TensorFacts(x.Type, [x.Dims[0], channels, .. result])];
    }

    /// <summary>MaxPool, AveragePool, LpPool; MaxPool's optional second output holds int64 indices.</summary>
    public static TensorFacts[]? Pool(InferenceContext c)
    {
        var x = c.Input(0);
        if (x?.Dims is null) return c.Fail("the rank of input 0 is unknown");
        var kernel = c.Ints("kernel_shape");
        if (kernel is null) return c.Fail("attribute kernel_shape is missing");
        var outDims = Spatial(c, x.Dims.Skip(2).ToArray(), kernel, ceil: c.Int("ceil_mode", 0) != 0);
        if (outDims is null) return null;
        Dim[] dims = [x.Dims[0], x.Dims[1], .. outDims];
        var result = new List<TensorFacts> { new(x.Type, dims) };
        if (c.OutputCount > 1) result.Add(new TensorFacts(DataType.Int64, dims));
        return result.ToArray();
    }

    public static TensorFacts[]? GlobalPool(InferenceContext c)
    {
        var x = c.Input(0);
        if (x?.Dims is null) return c.Fail("the rank of input 0 is unknown");
        return [new TensorFacts(x.Type, [.. x.Dims.Take(2), .. Enumerable.Repeat(Dim.Known(1), x.Rank - 2)])];
    }

    /// <summary>RoiAlign(X, rois, batch_indices): [num_rois, C, output_height, output_width].</summary>
    public static TensorFacts[]? RoiAlign(InferenceContext c)
    {
        var x = c.Input(0);
        var rois = c.Input(1);
        if (x?.Dims is not { Length: 4 } || rois?.Dims is not { Length: 2 }) return c.Fail("X must be 4-D and rois 2-D");
        return [new TensorFacts(x.Type, [rois.Dims[0], x.Dims[1], c.Int("output_height", 1), c.Int("output_width", 1)])];
    }

    /// <summary>GridSample(X [N,C,H,W], grid [N,Ho,Wo,2]): [N, C, Ho, Wo].</summary>
    public static TensorFacts[]? GridSample(InferenceContext c)
    {
        var x = c.Input(0);
        var grid = c.Input(1);
        if (x?.Dims is null || grid?.Dims is null || grid.Rank != x.Rank) return c.Fail("X and grid need known, equal ranks");
        return [new TensorFacts(x.Type, [x.Dims[0], x.Dims[1], .. grid.Dims[1..^1]])];
    }

    /// <summary>MaxUnpool: the output_shape input when given, else
    /// (in - 1) * stride + kernel - pad_begin - pad_end per spatial dim.</summary>
    public static TensorFacts[]? MaxUnpool(InferenceContext c)
    {
        var x = c.Input(0);
        if (x?.Dims is null) return c.Fail("the rank of input 0 is unknown");
        if (c.Input(2) is { } shapeInput)
            return shapeInput.Value is { } v ? [TensorFacts.Known(x.Type, v.AsLongs())] : c.Fail("output_shape (input 2) is not a known constant");
        var kernel = c.Ints("kernel_shape");
        if (kernel is null) return c.Fail("attribute kernel_shape is missing");
        int n = kernel.Length;
        var strides = c.Ints("strides") ?? Enumerable.Repeat(1L, n).ToArray();
        var pads = c.Ints("pads") ?? new long[2 * n];
        var spatial = x.Dims.Skip(2).Select((d, i) => d.IsKnown ? Dim.Known((d.Value!.Value - 1) * strides[i] + kernel[i] - pads[i] - pads[i + n]) : Dim.Unknown);
        return [new TensorFacts(x.Type, [x.Dims[0], x.Dims[1], .. spatial])];
    }

    /// <summary>out = floor_or_ceil((in + pad_begin + pad_end - ((k - 1) * d + 1)) / s) + 1, or
    /// the auto_pad rules (SAME: ceil(in / s); VALID: ceil((in - dk + 1) / s)).</summary>
    private static Dim[]? Spatial(InferenceContext c, Dim[] input, long[] kernel, bool ceil)
    {
        int n = input.Length;
        if (kernel.Length != n) { c.Fail($"kernel_shape has {kernel.Length} entries for {n} spatial dimensions"); return null; }
        var strides = c.Ints("strides") ?? Enumerable.Repeat(1L, n).ToArray();
        var dilations = c.Ints("dilations") ?? Enumerable.Repeat(1L, n).ToArray();
        var pads = c.Ints("pads") ?? new long[2 * n];
        string autoPad = c.Str("auto_pad", "NOTSET");
        var result = new Dim[n];
        for (int i = 0; i < n; i++)
        {
            if (!input[i].IsKnown) { result[i] = Dim.Unknown; continue; }
            long size = input[i].Value!.Value;
            long effective = (kernel[i] - 1) * dilations[i] + 1;
            result[i] = autoPad switch
            {
                "SAME_UPPER" or "SAME_LOWER" => CeilDiv(size, strides[i]),
                "VALID" => CeilDiv(size - effective + 1, strides[i]),
                _ => (ceil ? CeilDiv(size + pads[i] + pads[i + n] - effective, strides[i])
                           : FloorDiv(size + pads[i] + pads[i + n] - effective, strides[i])) + 1,
            };
            if (result[i].Value < 0) { c.Fail($"spatial dimension {i} would be {result[i].Value}"); return null; }
        }
        return result;
    }

    public static long CeilDiv(long a, long b) => -FloorDiv(-a, b);

    public static long FloorDiv(long a, long b) => (long)Math.Floor((double)a / b);
}
