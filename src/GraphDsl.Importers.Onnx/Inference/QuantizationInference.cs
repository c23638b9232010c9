using GraphDsl.Ir;

namespace GraphDsl.Importers.Onnx.Inference;

/// <summary>QuantizeLinear, DequantizeLinear and DynamicQuantizeLinear: the shape of X, the
/// element type from the zero point (or output_dtype / the scale type).</summary>
internal static class QuantizationInference
{
    public static TensorFacts[]? Quantize(InferenceContext c)
    {
        var x = c.Input(0);
        if (x is null) return c.Fail("input 0 is missing");
        var type = c.Input(2)?.Type
            ?? (c.Attribute("output_dtype") is { HasI: true, I: > 0 } a ? OnnxElementTypes.FromCode((int)a.I) : DataType.UInt8);
        return [new TensorFacts(type, x.Dims)];
    }

    public static TensorFacts[]? Dequantize(InferenceContext c)
    {
        var x = c.Input(0);
        if (x is null) return c.Fail("input 0 is missing");
        var type = c.Opset >= 19 ? c.Input(1)?.Type ?? DataType.Float32 : DataType.Float32;
        return [new TensorFacts(type, x.Dims)];
    }

    public static TensorFacts[]? DynamicQuantize(InferenceContext c)
    {
        var x = c.Input(0);
        if (x is null) return c.Fail("input 0 is missing");
        return [new TensorFacts(DataType.UInt8, x.Dims), TensorFacts.Known(DataType.Float32, []), TensorFacts.Known(DataType.UInt8, [])];
    }
}
