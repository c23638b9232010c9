namespace GraphDsl.Importers.Onnx.Inference;

/// <summary>The table of default-domain (ai.onnx) operators that have shape inference, by op_type.</summary>
internal static class OperatorInference
{
    private static readonly Dictionary<string, InferenceFunction> Table = Build();

    public static IReadOnlyCollection<string> SupportedOperators => Table.Keys;

    public static InferenceFunction? Find(string domain, string opType) =>
        domain is "" or "ai.onnx" && Table.TryGetValue(opType, out var f) ? f : null;

    private static Dictionary<string, InferenceFunction> Build()
    {
        var t = new Dictionary<string, InferenceFunction>(StringComparer.Ordinal);
        foreach (var op in ElementwiseInference.SameShapeOps) t[op] = ElementwiseInference.SameShape;
        foreach (var op in ElementwiseInference.BroadcastOps) t[op] = ElementwiseInference.Broadcast;
        foreach (var op in ElementwiseInference.ComparisonOps) t[op] = ElementwiseInference.Comparison;
        foreach (var op in ReductionInference.ReduceOps) t[op] = ReductionInference.Reduce;
        t["IsNaN"] = t["IsInf"] = c => c.Input(0) is { } x ? [new TensorFacts(Ir.DataType.Bool, x.Dims)] : c.Fail("input 0 is missing");
        t["Where"] = ElementwiseInference.Where;
        t["Cast"] = t["CastLike"] = ElementwiseInference.Cast;
        t["Dropout"] = ElementwiseInference.Dropout;
        t["BatchNormalization"] = ElementwiseInference.BatchNormalization;
        t["LayerNormalization"] = ElementwiseInference.LayerNormalization;
        t["Conv"] = ConvInference.Conv;
        t["ConvInteger"] = ConvInference.ConvInteger;
        t["QLinearConv"] = ConvInference.QLinearConv;
        t["ConvTranspose"] = ConvInference.ConvTranspose;
        t["MaxPool"] = t["AveragePool"] = t["LpPool"] = ConvInference.Pool;
        t["GlobalAveragePool"] = t["GlobalMaxPool"] = t["GlobalLpPool"] = ConvInference.GlobalPool;
        t["Gemm"] = MatMulInference.Gemm;
        t["MatMul"] = MatMulInference.MatMul;
        t["MatMulInteger"] = MatMulInference.MatMulInteger;
        t["QLinearMatMul"] = MatMulInference.QLinearMatMul;
        t["Reshape"] = ShapeOpsInference.Reshape;
        t["Flatten"] = ShapeOpsInference.Flatten;
        t["Transpose"] = ShapeOpsInference.Transpose;
        t["Squeeze"] = ShapeOpsInference.Squeeze;
        t["Unsqueeze"] = ShapeOpsInference.Unsqueeze;
        t["Concat"] = ShapeOpsInference.Concat;
        t["Split"] = ShapeOpsInference.Split;
        t["Slice"] = ShapeOpsInference.Slice;
        t["Pad"] = ShapeOpsInference.Pad;
        t["Gather"] = ShapeOpsInference.Gather;
        t["GatherElements"] = ShapeOpsInference.GatherElements;
        t["GatherND"] = ShapeOpsInference.GatherND;
        t["Expand"] = ShapeOpsInference.Expand;
        t["Tile"] = ShapeOpsInference.Tile;
        t["DepthToSpace"] = t["SpaceToDepth"] = ShapeOpsInference.DepthToSpace;
        t["TopK"] = ShapeOpsInference.TopK;
        t["Constant"] = GeneratorInference.Constant;
        t["ConstantOfShape"] = GeneratorInference.ConstantOfShape;
        t["Shape"] = GeneratorInference.Shape;
        t["Size"] = GeneratorInference.Size;
        t["Range"] = GeneratorInference.Range;
        t["Resize"] = t["Upsample"] = GeneratorInference.Resize;
        t["ArgMax"] = t["ArgMin"] = ReductionInference.ArgReduce;
        t["QuantizeLinear"] = QuantizationInference.Quantize;
        t["DequantizeLinear"] = QuantizationInference.Dequantize;
        t["DynamicQuantizeLinear"] = QuantizationInference.DynamicQuantize;
        t["LSTM"] = t["GRU"] = t["RNN"] = RecurrentInference.Recurrent;
        t["Scatter"] = t["ScatterElements"] = t["ScatterND"] = IndexingInference.Scatter;
        t["OneHot"] = IndexingInference.OneHot;
        t["Compress"] = IndexingInference.Compress;
        t["NonZero"] = IndexingInference.NonZero;
        t["RoiAlign"] = ConvInference.RoiAlign;
        t["GridSample"] = ConvInference.GridSample;
        t["MaxUnpool"] = ConvInference.MaxUnpool;
        t["Det"] = MatMulInference.Det;
        t["HannWindow"] = t["HammingWindow"] = t["BlackmanWindow"] = GeneratorInference.Window;
        return t;
    }
}
