namespace GraphDsl.Lowering.Onnx;

/// <summary>One field of a protobuf message as it sits in the encoded bytes.</summary>
/// <param name="Start">Offset of the field's tag.</param>
/// <param name="PayloadStart">Offset of the value (after the length prefix for length-delimited fields).</param>
/// <param name="End">Offset just after the field.</param>
internal readonly record struct WireField(int Number, int WireType, int Start, int PayloadStart, int End)
{
    public const int LengthDelimited = 2;

    public int Length => End - Start;
}

/// <summary>Splits protobuf messages into fields without a schema, so that a rewrite can move
/// fields around and copy everything else byte for byte.</summary>
/// <remarks>Wire types: 0 varint, 1 fixed64, 2 length-delimited, 5 fixed32 (groups, 3 and 4, are
/// not used by ONNX and are rejected).</remarks>
internal static class ProtobufWire
{
    /// <summary>The fields of the message in <paramref name="data"/>[start, end), or null with a
    /// reason when the bytes are not a well-formed message.</summary>
    public static List<WireField>? Split(ReadOnlySpan<byte> data, int start, int end, out string? error)
    {
        var fields = new List<WireField>();
        int pos = start;
        while (pos < end)
        {
            int fieldStart = pos;
            if (!TryVarint(data, ref pos, end, out var tag) || tag >> 3 == 0)
                return Fail($"bad field tag at byte {fieldStart}", out error);
            int wireType = (int)(tag & 7);
            int payloadStart;
            switch (wireType)
            {
                case 0:
                    payloadStart = pos;
                    if (!TryVarint(data, ref pos, end, out _)) return Fail($"bad varint at byte {pos}", out error);
                    break;
                case 1:
                    payloadStart = pos;
                    pos += 8;
                    break;
                case 5:
                    payloadStart = pos;
                    pos += 4;
                    break;
                case WireField.LengthDelimited:
                    if (!TryVarint(data, ref pos, end, out var length) || length > (ulong)(end - pos))
                        return Fail($"bad length at byte {fieldStart}", out error);
                    payloadStart = pos;
                    pos += (int)length;
                    break;
                default:
                    return Fail($"unsupported wire type {wireType} at byte {fieldStart}", out error);
            }
            if (pos > end) return Fail($"field at byte {fieldStart} runs past its message", out error);
            fields.Add(new WireField((int)(tag >> 3), wireType, fieldStart, payloadStart, pos));
        }
        error = null;
        return fields;
    }

    private static List<WireField>? Fail(string reason, out string? error)
    {
        error = reason;
        return null;
    }

    /// <summary>The varint at <paramref name="pos"/> of a field <see cref="Split"/> accepted.</summary>
    public static ulong ReadVarint(ReadOnlySpan<byte> data, int pos) => ReadVarint(data, pos, out _);

    /// <summary>The varint at <paramref name="pos"/> and the offset after it (0 past the end).</summary>
    public static ulong ReadVarint(ReadOnlySpan<byte> data, int pos, out int next)
    {
        if (!TryVarint(data, ref pos, data.Length, out var value)) value = 0;
        next = pos;
        return value;
    }

    private static bool TryVarint(ReadOnlySpan<byte> data, ref int pos, int end, out ulong value)
    {
        value = 0;
        for (int shift = 0; shift < 64; shift += 7)
        {
            if (pos >= end) return false;
            byte b = data[pos++];
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0) return true;
        }
        return false;
    }
}
