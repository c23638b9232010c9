using System.Text;

namespace GraphDsl.Lowering.Onnx;

/// <summary>Appends protobuf fields (wire format, no schema) to a byte buffer: what the changed
/// graph writer needs to encode new nodes, attributes and initializers.</summary>
internal sealed class ProtobufWriter
{
    private readonly List<byte> _bytes = [];

    public byte[] ToArray() => _bytes.ToArray();

    public ProtobufWriter Varint(int field, ulong value)
    {
        Tag(field, 0);
        WriteVarint(_bytes, value);
        return this;
    }

    public ProtobufWriter Fixed32(int field, uint value)
    {
        Tag(field, 5);
        for (int i = 0; i < 4; i++) _bytes.Add((byte)(value >> (8 * i)));
        return this;
    }

    public ProtobufWriter Bytes(int field, ReadOnlySpan<byte> payload)
    {
        Tag(field, WireField.LengthDelimited);
        WriteVarint(_bytes, (ulong)payload.Length);
        foreach (var b in payload) _bytes.Add(b);
        return this;
    }

    public ProtobufWriter String(int field, string text) => Bytes(field, Encoding.UTF8.GetBytes(text));

    /// <summary>Bytes of an encoded field copied as they are.</summary>
    public ProtobufWriter Raw(ReadOnlySpan<byte> field)
    {
        foreach (var b in field) _bytes.Add(b);
        return this;
    }

    private void Tag(int field, int wireType) => WriteVarint(_bytes, (ulong)((field << 3) | wireType));

    public static void WriteVarint(List<byte> output, ulong value)
    {
        while (value >= 0x80)
        {
            output.Add((byte)(value | 0x80));
            value >>= 7;
        }
        output.Add((byte)value);
    }
}
