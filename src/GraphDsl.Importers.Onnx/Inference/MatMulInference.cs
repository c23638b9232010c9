using GraphDsl.Ir;

namespace GraphDsl.Importers.Onnx.Inference;

/// <summary>Gemm and numpy-style MatMul (with its 1-D promotion and batch broadcasting).</summary>
internal static class MatMulInference
{
    public static TensorFacts[]? Gemm(InferenceContext c)
    {
        var a = c.Input(0);
        var b = c.Input(1);
        if (a?.Dims is not { Length: 2 } ad || b?.Dims is not { Length: 2 } bd) return c.Fail("Gemm needs 2-D A and B of known rank");
        var m = c.Int("transA", 0) != 0 ? ad[1] : ad[0];
        var n = c.Int("transB", 0) != 0 ? bd[0] : bd[1];
        return [new TensorFacts(a.Type, [m, n])];
    }

    public static TensorFacts[]? MatMul(InferenceContext c) => MatMulOf(c, 0, 1, c.Input(0)?.Type);

    public static TensorFacts[]? MatMulInteger(InferenceContext c) => MatMulOf(c, 0, 1, DataType.Int32);

    /// <summary>QLinearMatMul(a, a_scale, a_zp, b, b_scale, b_zp, y_scale, y_zp).</summary>
    public static TensorFacts[]? QLinearMatMul(InferenceContext c) => MatMulOf(c, 0, 3, c.Input(7)?.Type ?? c.Input(0)?.Type);

    /// <summary>Det: the batch dims of a [..., M, M] input.</summary>
    public static TensorFacts[]? Det(InferenceContext c) =>
        c.Input(0) is { Dims: { Length: >= 2 } d } x ? [new TensorFacts(x.Type, d[..^2])] : c.Fail("input 0 must have rank 2 or more");

    private static TensorFacts[]? MatMulOf(InferenceContext c, int ai, int bi, DataType? type)
    {
        var a = c.Input(ai)?.Dims;
        var b = c.Input(bi)?.Dims;
        if (a is null || b is null) return c.Fail("an operand has unknown rank");
        if (a.Length == 0 || b.Length == 0) return c.Fail("MatMul operands must not be scalars");
        // 1-D operands are promoted (a: prepend 1, b: append 1) and the added dims removed after.
        var ap = a.Length == 1 ? [Dim.Known(1), a[0]] : a;
        var bp = b.Length == 1 ? [b[0], Dim.Known(1)] : b;
        var batch = ElementwiseInference.BroadcastDims([ap[..^2], bp[..^2]])!;
        var dims = new List<Dim>(batch);
        if (a.Length > 1) dims.Add(ap[^2]);
        if (b.Length > 1) dims.Add(bp[^1]);
        return [new TensorFacts(type, dims.ToArray())];
    }
}
