using GraphDsl.Ir;

namespace GraphDsl.Tflm;

/// <summary>Bytes TFLM gives a tensor: element count times <c>TfLiteTypeSizeOf</c>
/// (memory_helpers.cc, <c>TfLiteEvalTensorByteLength</c>).</summary>
/// <remarks>Unlike the IR's packed size, int4 takes one byte per element (TFLM unpacks it) and a
/// RESOURCE handle 4 bytes. A scalar (rank 0) has one element.</remarks>
public static class TflmTensorBytes
{
    /// <summary>Bytes of one element as TFLM sizes it, or null for a type TFLM cannot size
    /// (strings, 8-bit floats, uint4...).</summary>
    public static int? ElementBytes(DataType type) => type switch
    {
        DataType.Float16 or DataType.BFloat16 or DataType.Int16 or DataType.UInt16 => 2,
        DataType.Float32 or DataType.Int32 or DataType.UInt32 => 4,
        DataType.Float64 or DataType.Int64 or DataType.UInt64 or DataType.Complex64 => 8,
        DataType.Complex128 => 16,
        DataType.Int8 or DataType.UInt8 or DataType.Bool or DataType.Int4 => 1,
        _ => ResourceBytes(type),
    };

    // RESOURCE (and VARIANT) handles are int32 in TFLM; the IR names them by text when it has them.
    private static int? ResourceBytes(DataType type) => type.ToText() is "resource" or "variant" ? 4 : null;

    /// <summary>Bytes of <paramref name="tensor"/>, or null when its shape or type is not known.</summary>
    public static long? Of(Tensor tensor)
    {
        if (ElementBytes(tensor.Type.ElementType) is not { } element) return null;
        if (tensor.Type.Shape.ElementCount is not { } count) return null;
        return count * element;
    }
}
