using GraphDsl.Ir;

namespace GraphDsl.Importers.Onnx.Inference;

/// <summary>Reduce* (axes as attribute or, in newer opsets, input 1; keepdims;
/// noop_with_empty_axes) and ArgMax/ArgMin.</summary>
internal static class ReductionInference
{
    public static readonly string[] ReduceOps =
    [
        "ReduceMean", "ReduceSum", "ReduceMax", "ReduceMin", "ReduceProd", "ReduceL1", "ReduceL2",
        "ReduceLogSum", "ReduceLogSumExp", "ReduceSumSquare",
    ];

    public static TensorFacts[]? Reduce(InferenceContext c)
    {
        var x = c.Input(0);
        if (x?.Dims is null) return c.Fail("the rank of input 0 is unknown");
        var axes = c.IntsFromAttributeOrInput("axes", 1, out bool missing);
        if (missing) return c.Fail("the axes (input 1) are not a known constant");
        if (axes is { Length: 0 }) axes = null;
        if (axes is null && c.Int("noop_with_empty_axes", 0) != 0) return [new TensorFacts(x.Type, x.Dims)];
        var reduced = (axes ?? Enumerable.Range(0, x.Rank).Select(i => (long)i)).Select(a => InferenceContext.Axis(a, x.Rank)).ToHashSet();
        return [new TensorFacts(x.Type, Reduced(x.Dims, reduced, c.Int("keepdims", 1) != 0))];
    }

    public static TensorFacts[]? ArgReduce(InferenceContext c)
    {
        var x = c.Input(0);
        if (x?.Dims is null) return c.Fail("the rank of input 0 is unknown");
        var axis = InferenceContext.Axis(c.Int("axis", 0), x.Rank);
        return [new TensorFacts(DataType.Int64, Reduced(x.Dims, [axis], c.Int("keepdims", 1) != 0))];
    }

    private static Dim[] Reduced(Dim[] dims, HashSet<long> axes, bool keep) =>
        dims.Select((d, i) => (d, i)).Where(p => keep || !axes.Contains(p.i))
            .Select(p => axes.Contains(p.i) ? Dim.Known(1) : p.d).ToArray();
}
