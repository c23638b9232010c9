using GraphDsl.Ir;

namespace GraphDsl.Importers.Onnx;

/// <summary>TensorProto.DataType codes (onnx.proto) to and from the IR's <see cref="DataType"/>.</summary>
public static class OnnxElementTypes
{
    private static readonly (int Code, DataType Type)[] Table =
    [
        (1, DataType.Float32), (2, DataType.UInt8), (3, DataType.Int8), (4, DataType.UInt16),
        (5, DataType.Int16), (6, DataType.Int32), (7, DataType.Int64), (8, DataType.String),
        (9, DataType.Bool), (10, DataType.Float16), (11, DataType.Float64), (12, DataType.UInt32),
        (13, DataType.UInt64), (14, DataType.Complex64), (15, DataType.Complex128), (16, DataType.BFloat16),
        (17, DataType.Float8E4M3FN), (18, DataType.Float8E4M3FNUZ), (19, DataType.Float8E5M2),
        (20, DataType.Float8E5M2FNUZ), (21, DataType.UInt4), (22, DataType.Int4), (23, DataType.Float4E2M1),
    ];

    /// <summary>The IR type of an ONNX element type code; null for UNDEFINED (0) and unknown codes.</summary>
    public static DataType? FromCode(int code)
    {
        foreach (var (c, t) in Table) if (c == code) return t;
        return null;
    }

    public static int ToCode(DataType type)
    {
        foreach (var (c, t) in Table) if (t == type) return c;
        return 0;
    }
}
