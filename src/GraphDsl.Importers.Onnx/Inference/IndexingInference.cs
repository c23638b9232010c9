using GraphDsl.Ir;

namespace GraphDsl.Importers.Onnx.Inference;

/// <summary>Index-driven operators: Scatter* (shape of data), OneHot (depth inserted at axis),
/// and the data-dependent Compress and NonZero, which are sized only when the selecting values
/// are known constants.</summary>
internal static class IndexingInference
{
    public static TensorFacts[]? Scatter(InferenceContext c) =>
        c.Input(0) is { } data ? [new TensorFacts(data.Type, data.Dims)] : c.Fail("input 0 is missing");

    public static TensorFacts[]? OneHot(InferenceContext c)
    {
        var indices = c.Input(0);
        var depth = c.Input(1)?.Value;
        if (indices?.Dims is null || depth is null) return c.Fail("the depth (input 1) is not a known constant");
        int rank = indices.Rank + 1;
        long axis = InferenceContext.Axis(c.Int("axis", -1), rank);
        var dims = indices.Dims.ToList();
        dims.Insert((int)axis, Dim.Known((long)depth[0]));
        return [new TensorFacts(c.Input(2)?.Type, dims.ToArray())];
    }

    public static TensorFacts[]? Compress(InferenceContext c)
    {
        var x = c.Input(0);
        var condition = c.Input(1)?.Value;
        if (x?.Dims is null || condition is null) return c.Fail("the output size depends on the condition (input 1), which is not a known constant");
        var axisAttribute = c.Attribute("axis");
        var extent = ConstValue.ElementCount(x.Dims.Select(d => d.Value ?? 0));
        long selected = Enumerable.Range(0, condition.Count).Count(i => condition[i] != 0 && (axisAttribute is not null || i < extent));
        if (axisAttribute is null) return [new TensorFacts(x.Type, [selected])];
        long axis = InferenceContext.Axis(axisAttribute.I, x.Rank);
        if (x.Dims[axis].Value is { } length) selected = Enumerable.Range(0, (int)Math.Min(length, condition.Count)).Count(i => condition[i] != 0);
        return [new TensorFacts(x.Type, x.Dims.Select((d, i) => i == axis ? Dim.Known(selected) : d).ToArray())];
    }

    public static TensorFacts[]? NonZero(InferenceContext c)
    {
        var x = c.Input(0);
        if (x?.Value is not { } v) return c.Fail("the output size depends on the input values, which are not known constants");
        long count = Enumerable.Range(0, v.Count).Count(i => v[i] != 0);
        return [TensorFacts.Known(DataType.Int64, [v.Shape.Length, count])];
    }
}
