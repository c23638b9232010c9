namespace GraphDsl.Ir;

/// <summary>Element type of a tensor.</summary>
public enum DataType
{
    Float32, Float16, BFloat16, Float64,
    Int4, UInt4, Int8, UInt8, Int16, UInt16, Int32, UInt32, Int64, UInt64,
    Bool, String, Complex64, Complex128,
    // 8- and 4-bit float formats of ONNX (appended so existing values keep their numbers).
    Float8E4M3FN, Float8E4M3FNUZ, Float8E5M2, Float8E5M2FNUZ, Float4E2M1,
    /// <summary>A TFLite resource handle (resource variables: VAR_HANDLE, READ_VARIABLE...):
    /// TFLite Micro stores it as an int32 id (TfLiteTypeSizeOf, memory_helpers.cc).</summary>
    Resource,
}

/// <summary>Sizes and the short text names (<c>f32</c>, <c>i8</c>, ...) of <see cref="DataType"/>.</summary>
public static class DataTypes
{
    private static readonly (DataType Type, string Name, int Bits)[] Table =
    [
        (DataType.Float32, "f32", 32), (DataType.Float16, "f16", 16), (DataType.BFloat16, "bf16", 16),
        (DataType.Float64, "f64", 64), (DataType.Int4, "i4", 4), (DataType.UInt4, "u4", 4),
        (DataType.Int8, "i8", 8), (DataType.UInt8, "u8", 8), (DataType.Int16, "i16", 16),
        (DataType.UInt16, "u16", 16), (DataType.Int32, "i32", 32), (DataType.UInt32, "u32", 32),
        (DataType.Int64, "i64", 64), (DataType.UInt64, "u64", 64), (DataType.Bool, "bool", 8),
        // Strings have no fixed element size: tensors of them get no byte size.
        (DataType.String, "str", 0), (DataType.Complex64, "c64", 64), (DataType.Complex128, "c128", 128),
        (DataType.Float8E4M3FN, "f8e4m3fn", 8), (DataType.Float8E4M3FNUZ, "f8e4m3fnuz", 8),
        (DataType.Float8E5M2, "f8e5m2", 8), (DataType.Float8E5M2FNUZ, "f8e5m2fnuz", 8),
        (DataType.Float4E2M1, "f4e2m1", 4), (DataType.Resource, "resource", 32),
    ];

    /// <summary>The text name used by the graph language, e.g. <c>i8</c>.</summary>
    public static string ToText(this DataType type) => Table[(int)type].Name;

    /// <summary>Bits per element (4-bit types are packed two per byte); 0 when variable-sized.</summary>
    public static int BitsPerElement(this DataType type) => Table[(int)type].Bits;

    public static bool IsFloatingPoint(this DataType type) =>
        type is DataType.Float32 or DataType.Float16 or DataType.BFloat16 or DataType.Float64;

    public static bool TryParse(string text, out DataType type)
    {
        foreach (var entry in Table)
        {
            if (entry.Name == text) { type = entry.Type; return true; }
        }
        type = default;
        return false;
    }

    /// <summary>All text names, for "expected one of" messages.</summary>
    public static IEnumerable<string> Names => Table.Select(e => e.Name);
}
