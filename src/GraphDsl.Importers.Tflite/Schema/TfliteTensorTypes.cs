using GraphDsl.Ir;

namespace GraphDsl.Importers.Tflite.Schema;

/// <summary>The TFLite <c>TensorType</c> enum (schema.fbs): names by value and the IR element type
/// of each value that has one.</summary>
internal static class TfliteTensorTypes
{
    /// <summary>Enum names indexed by value.</summary>
    public static readonly string[] Names =
    [
        "FLOAT32", "FLOAT16", "INT32", "UINT8", "INT64", "STRING", "BOOL", "INT16", "COMPLEX64", "INT8",
        "FLOAT64", "COMPLEX128", "UINT64", "RESOURCE", "VARIANT", "UINT32", "UINT16", "INT4", "BFLOAT16",
    ];

    private static readonly DataType?[] ElementTypes =
    [
        DataType.Float32, DataType.Float16, DataType.Int32, DataType.UInt8, DataType.Int64, DataType.String,
        DataType.Bool, DataType.Int16, DataType.Complex64, DataType.Int8, DataType.Float64, DataType.Complex128,
        DataType.UInt64,
        // VARIANT (TensorList handles) has no size in TFLite Micro either (TfLiteTypeSizeOf fails).
        DataType.Resource, null,
        DataType.UInt32, DataType.UInt16, DataType.Int4, DataType.BFloat16,
    ];

    /// <summary>The IR element type of TFLite type <paramref name="value"/>, or null when it has none.</summary>
    public static DataType? ToDataType(sbyte value) => value >= 0 && value < ElementTypes.Length ? ElementTypes[value] : null;

    /// <summary>The TFLite type value of IR element type <paramref name="type"/>, or null when
    /// TFLite has none (e.g. the ONNX 8-bit float formats).</summary>
    public static sbyte? FromDataType(DataType type) => Array.IndexOf(ElementTypes, (DataType?)type) is var i and >= 0 ? (sbyte)i : null;

    public static string NameOf(int value) => value >= 0 && value < Names.Length ? Names[value] : value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
