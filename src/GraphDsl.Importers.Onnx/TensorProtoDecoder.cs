using System.Buffers.Binary;
using GraphDsl.Importers.Onnx.Protos;
using GraphDsl.Ir;

namespace GraphDsl.Importers.Onnx;

/// <summary>Reads the type, shape and (for small numeric tensors) the values of a TensorProto,
/// from <c>raw_data</c> or the typed repeated fields, and checks that the data matches the
/// declared shape.</summary>
internal static class TensorProtoDecoder
{
    /// <summary>Facts of the tensor, or an error message. External-data tensors get no values.</summary>
    public static (TensorFacts? Facts, string? Error) Decode(TensorProto t)
    {
        var type = OnnxElementTypes.FromCode(t.DataType);
        if (type is null) return (null, $"unknown element type code {t.DataType}");
        if (t.Dims.Any(d => d < 0)) return (null, "negative dimension in dims");
        var dims = t.Dims.ToArray();
        long count;
        try { count = dims.Aggregate(1L, (a, b) => checked(a * b)); }
        catch (OverflowException) { return (null, "element count overflows"); }
        var facts = TensorFacts.Known(type, dims) with { IsConstant = true };
        if (t.DataLocation == TensorProto.Types.DataLocation.External) return (facts, null);
        if (type == DataType.String)
            return t.StringData.Count == count ? (facts, null) : (null, $"{t.StringData.Count} strings for {count} elements");

        int bits = type.Value.BitsPerElement();
        if (t.HasRawData)
        {
            long expected = (count * bits + 7) / 8;
            if (t.RawData.Length != expected)
                return (null, $"raw_data has {t.RawData.Length} bytes, {type.Value.ToText()}{Shape.Of(dims)} needs {expected}");
            if (count > ConstValue.MaxElements || !HasScalarDecoding(type.Value)) return (facts, null);
            var raw = t.RawData.Span.ToArray();
            return (facts with { Value = ConstValue.Of(type.Value, dims, i => ReadRaw(raw, type.Value, i)) }, null);
        }

        // Typed fields: which one holds the data depends on the element type (onnx.proto comments).
        IReadOnlyList<double>? typed = type switch
        {
            DataType.Float32 => t.FloatData.Select(f => (double)f).ToArray(),
            DataType.Complex64 => null,
            DataType.Float64 => t.DoubleData.ToArray(),
            DataType.Complex128 => null,
            DataType.Int64 => t.Int64Data.Select(v => (double)v).ToArray(),
            DataType.UInt32 or DataType.UInt64 => t.Uint64Data.Select(v => (double)v).ToArray(),
            DataType.Float16 => t.Int32Data.Select(v => (double)BitConverter.UInt16BitsToHalf((ushort)v)).ToArray(),
            DataType.BFloat16 => t.Int32Data.Select(v => (double)BitConverter.Int32BitsToSingle(v << 16)).ToArray(),
            _ => t.Int32Data.Select(v => (double)v).ToArray(),
        };
        long stored = type switch
        {
            DataType.Complex64 => t.FloatData.Count / 2,
            DataType.Complex128 => t.DoubleData.Count / 2,
            DataType.Int4 or DataType.UInt4 or DataType.Float4E2M1 => Math.Min(count, t.Int32Data.Count * 2L),
            _ => typed!.Count,
        };
        if (stored == 0 && count != 0) return (null, "no data (neither raw_data nor a typed data field) and it is not external");
        if (stored != count) return (null, $"{stored} stored elements for shape {Shape.Of(dims)} ({count} elements)");
        if (typed is null || count > ConstValue.MaxElements || !HasScalarDecoding(type.Value)) return (facts, null);
        return (facts with { Value = ConstValue.Of(type.Value, dims, i => typed[i]) }, null);
    }

    private static bool HasScalarDecoding(DataType type) =>
        type is DataType.Float32 or DataType.Float64 or DataType.Float16 or DataType.BFloat16 or DataType.Int8
            or DataType.UInt8 or DataType.Int16 or DataType.UInt16 or DataType.Int32 or DataType.UInt32
            or DataType.Int64 or DataType.UInt64 or DataType.Bool;

    private static double ReadRaw(byte[] raw, DataType type, int i) => type switch
    {
        DataType.Float32 => BinaryPrimitives.ReadSingleLittleEndian(raw.AsSpan(i * 4)),
        DataType.Float64 => BinaryPrimitives.ReadDoubleLittleEndian(raw.AsSpan(i * 8)),
        DataType.Float16 => (double)BinaryPrimitives.ReadHalfLittleEndian(raw.AsSpan(i * 2)),
        DataType.BFloat16 => BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(raw.AsSpan(i * 2)) << 16),
        DataType.Int8 => (sbyte)raw[i],
        DataType.UInt8 or DataType.Bool => raw[i],
        DataType.Int16 => BinaryPrimitives.ReadInt16LittleEndian(raw.AsSpan(i * 2)),
        DataType.UInt16 => BinaryPrimitives.ReadUInt16LittleEndian(raw.AsSpan(i * 2)),
        DataType.Int32 => BinaryPrimitives.ReadInt32LittleEndian(raw.AsSpan(i * 4)),
        DataType.UInt32 => BinaryPrimitives.ReadUInt32LittleEndian(raw.AsSpan(i * 4)),
        DataType.Int64 => BinaryPrimitives.ReadInt64LittleEndian(raw.AsSpan(i * 8)),
        DataType.UInt64 => BinaryPrimitives.ReadUInt64LittleEndian(raw.AsSpan(i * 8)),
        _ => 0,
    };

    /// <summary>Little-endian bytes of an integer constant laid out as <paramref name="type"/>
    /// (for <see cref="ConstantData.Inline"/>).</summary>
    public static byte[] EncodeInts(ConstValue value, DataType type)
    {
        int size = type.BitsPerElement() / 8;
        var bytes = new byte[value.Count * size];
        var longs = value.AsLongs();
        for (int i = 0; i < longs.Length; i++)
        {
            var span = bytes.AsSpan(i * size, size);
            switch (size)
            {
                case 8: BinaryPrimitives.WriteInt64LittleEndian(span, longs[i]); break;
                case 4: BinaryPrimitives.WriteInt32LittleEndian(span, (int)longs[i]); break;
                case 2: BinaryPrimitives.WriteInt16LittleEndian(span, (short)longs[i]); break;
                default: span[0] = (byte)longs[i]; break;
            }
        }
        return bytes;
    }
}
