using GraphDsl.Ir;

namespace GraphDsl.Importers.Onnx.Inference;

/// <summary>Operators whose output shape comes from attributes or from input values: Constant,
/// ConstantOfShape, Shape, Size, Range, Resize/Upsample.</summary>
internal static class GeneratorInference
{
    public static TensorFacts[]? Constant(InferenceContext c)
    {
        if (c.Attribute("value") is { T: { } t })
        {
            var (facts, error) = TensorProtoDecoder.Decode(t);
            return facts is null ? c.Fail("attribute value: " + error) : [facts];
        }
        if (c.Attribute("value_float") is { HasF: true } f) return [TensorFacts.OfValue(DataType.Float32, ConstValue.OfReals([], [f.F]))];
        if (c.Attribute("value_int") is { HasI: true } i) return [TensorFacts.OfValue(DataType.Int64, ConstValue.OfInts([], [i.I]))];
        if (c.Floats("value_floats") is { } fs) return [TensorFacts.OfValue(DataType.Float32, ConstValue.OfReals([fs.Length], fs.Select(x => (double)x).ToArray()))];
        if (c.Ints("value_ints") is { } ints) return [TensorFacts.OfValue(DataType.Int64, ConstValue.OfInts([ints.Length], ints))];
        if (c.Attribute("value_string") is not null) return [TensorFacts.Known(DataType.String, [])];
        if (c.Attribute("value_strings") is { } ss) return [TensorFacts.Known(DataType.String, [ss.Strings.Count])];
        return c.Fail("no supported value attribute (sparse_value is not supported)");
    }

    public static TensorFacts[]? ConstantOfShape(InferenceContext c)
    {
        var shape = c.Input(0)?.Value?.AsLongs();
        if (shape is null) return c.Fail("the shape (input 0) is not a known constant");
        var type = DataType.Float32;
        double fill = 0;
        if (c.Attribute("value") is { T: { } t })
        {
            var (facts, error) = TensorProtoDecoder.Decode(t);
            if (facts is null) return c.Fail("attribute value: " + error);
            type = facts.Type!.Value;
            fill = facts.Value is { Count: > 0 } v ? v[0] : 0;
        }
        long count = ConstValue.ElementCount(shape);
        var value = count <= ConstValue.MaxElements ? ConstValue.Of(type, shape, _ => fill) : null;
        return [TensorFacts.Known(type, shape) with { Value = value }];
    }

    /// <summary>Shape (with opset-15 start/end): the dims as an int64 vector, known when every
    /// selected dimension is known.</summary>
    public static TensorFacts[]? Shape(InferenceContext c)
    {
        var x = c.Input(0);
        if (x?.Dims is null) return c.Fail("the rank of input 0 is unknown");
        int rank = x.Rank;
        long start = Math.Clamp(InferenceContext.Axis(c.Int("start", 0), rank), 0, rank);
        long end = Math.Clamp(c.Attribute("end") is { HasI: true } e ? InferenceContext.Axis(e.I, rank) : rank, 0, rank);
        var selected = x.Dims.Skip((int)start).Take((int)Math.Max(0, end - start)).ToArray();
        var value = selected.All(d => d.IsKnown) ? ConstValue.OfInts([selected.Length], selected.Select(d => d.Value!.Value).ToArray()) : null;
        return [TensorFacts.Known(DataType.Int64, [selected.Length]) with { Value = value }];
    }

    public static TensorFacts[]? Size(InferenceContext c)
    {
        var count = c.Input(0)?.KnownDims is { } known ? ConstValue.ElementCount(known) : (long?)null;
        return [TensorFacts.Known(DataType.Int64, []) with { Value = count is { } n ? ConstValue.OfInts([], [n]) : null }];
    }

    public static TensorFacts[]? Range(InferenceContext c)
    {
        var (start, limit, delta) = (c.Input(0)?.Value, c.Input(1)?.Value, c.Input(2)?.Value);
        if (start is null || limit is null || delta is null) return c.Fail("start, limit and delta must be known constants");
        long n = Math.Max((long)Math.Ceiling((limit[0] - start[0]) / delta[0]), 0);
        var type = c.Input(0)!.Type ?? DataType.Int64;
        var value = n <= ConstValue.MaxElements ? ConstValue.Of(type, [n], i => start[0] + i * delta[0]) : null;
        return [TensorFacts.Known(type, [n]) with { Value = value }];
    }

    /// <summary>HannWindow, HammingWindow, BlackmanWindow: a vector of the given size.</summary>
    public static TensorFacts[]? Window(InferenceContext c)
    {
        var size = c.Input(0)?.Value;
        if (size is null) return c.Fail("the size (input 0) is not a known constant");
        return [TensorFacts.Known(OnnxElementTypes.FromCode((int)c.Int("output_datatype", 1)), [(long)size[0]])];
    }

    /// <summary>Resize (X, roi, scales, sizes; opset 10: X, scales) and Upsample (X, scales, or
    /// the scales attribute): output = sizes, or floor(input * scale).</summary>
    public static TensorFacts[]? Resize(InferenceContext c)
    {
        var x = c.Input(0);
        if (x?.Dims is null) return c.Fail("the rank of input 0 is unknown");
        bool opset10Layout = c.Node.OpType == "Upsample" || c.Opset < 11;
        var sizesInput = opset10Layout ? null : c.Input(3);
        var scalesInput = opset10Layout ? c.Input(1) : c.Input(2);
        var axes = c.Ints("axes")?.Select(a => InferenceContext.Axis(a, x.Rank)).ToArray()
            ?? Enumerable.Range(0, x.Rank).Select(i => (long)i).ToArray();
        var dims = (Dim[])x.Dims.Clone();
        if (sizesInput is { Rank: > 0 } && sizesInput.Dims![0].Value != 0)
        {
            var sizes = sizesInput.Value?.AsLongs();
            if (sizes is null) return c.Fail("the sizes (input 3) are not a known constant");
            string policy = c.Str("keep_aspect_ratio_policy", "stretch");
            if (policy != "stretch")
            {
                if (!x.IsFullyKnown) return c.Fail("keep_aspect_ratio_policy needs known input dims");
                var ratios = axes.Select((a, i) => (double)sizes[i] / x.Dims[a].Value!.Value);
                double scale = policy == "not_larger" ? ratios.Min() : ratios.Max();
                foreach (var a in axes) dims[a] = (long)Math.Round(scale * x.Dims[a].Value!.Value, MidpointRounding.ToEven);
            }
            else
                for (int i = 0; i < axes.Length; i++) dims[axes[i]] = sizes[i];
            return [new TensorFacts(x.Type, dims)];
        }
        var scales = c.Floats("scales")?.Select(f => (double)f).ToArray() ?? scalesInput?.Value?.Reals;
        if (scales is null) return c.Fail("neither sizes nor scales are known constants");
        if (scales.Length != axes.Length) return c.Fail($"{scales.Length} scales for {axes.Length} axes");
        for (int i = 0; i < axes.Length; i++)
        {
            var d = x.Dims[axes[i]];
            dims[axes[i]] = d.IsKnown ? Dim.Known((long)Math.Floor(d.Value!.Value * scales[i] + 1e-9)) : Dim.Unknown;
        }
        return [new TensorFacts(x.Type, dims)];
    }
}
