using System.Buffers.Binary;
using System.Text;

namespace GraphDsl.Importers.Tflite.Tests.TestModels;

/// <summary>A deliberately separate, minimal TFLite reader for tests: raw little-endian reads with
/// BinaryPrimitives, no Google.FlatBuffers and no code shared with the importer. It trusts its input
/// (only used on the corpus) and reads just what the tests compare.</summary>
public sealed class RawTfliteReader(byte[] file)
{
    public sealed record RawTensor(string Name, sbyte Type, int[] Shape, uint Buffer, bool IsVariable);

    private int I32(int at) => BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan(at));
    private uint U32(int at) => BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(at));
    private ushort U16(int at) => BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(at));

    /// <summary>Absolute position of field <paramref name="id"/> of the table at <paramref name="table"/>, or -1.</summary>
    private int Field(int table, int id)
    {
        int vtable = table - I32(table);
        int slot = 4 + 2 * id;
        if (slot >= U16(vtable)) return -1;
        int off = U16(vtable + slot);
        return off == 0 ? -1 : table + off;
    }

    private int Follow(int at) => at + (int)U32(at);

    private int[] Elements(int table, int id)
    {
        int f = Field(table, id);
        if (f < 0) return [];
        int vec = Follow(f);
        int n = (int)U32(vec);
        return Enumerable.Range(0, n).Select(i => vec + 4 + 4 * i).ToArray();
    }

    private int Root => (int)U32(0);

    public int SubgraphCount => Elements(Root, 2).Length;

    private int Subgraph(int g) => Follow(Elements(Root, 2)[g]);

    public int OperatorCount(int g) => Elements(Subgraph(g), 3).Length;

    /// <summary>Every operator code: (deprecated_builtin_code, builtin_code, version), absent fields
    /// at their schema defaults (0, 0, 1).</summary>
    public IReadOnlyList<(sbyte Deprecated, int Builtin, int Version)> OperatorCodes() => Elements(Root, 1).Select(e =>
    {
        int c = Follow(e);
        int deprecated = Field(c, 0), version = Field(c, 2), builtin = Field(c, 3);
        return (deprecated < 0 ? (sbyte)0 : (sbyte)file[deprecated], builtin < 0 ? 0 : I32(builtin), version < 0 ? 1 : I32(version));
    }).ToList();

    public IReadOnlyList<RawTensor> Tensors(int g) => Elements(Subgraph(g), 0).Select(e =>
    {
        int t = Follow(e);
        int nameField = Field(t, 3);
        string name = "";
        if (nameField >= 0)
        {
            int s = Follow(nameField);
            name = Encoding.UTF8.GetString(file, s + 4, (int)U32(s));
        }
        int typeField = Field(t, 1), bufferField = Field(t, 2), varField = Field(t, 5);
        return new RawTensor(
            name,
            typeField < 0 ? (sbyte)0 : (sbyte)file[typeField],
            Elements(t, 0).Select(I32).ToArray(),
            bufferField < 0 ? 0 : U32(bufferField),
            varField >= 0 && file[varField] != 0);
    }).ToList();

    /// <summary>Bytes of data behind buffer <paramref name="index"/>: the inline vector's length, or
    /// the size of data stored outside the flatbuffer (offset > 1).</summary>
    public long BufferDataLength(uint index)
    {
        var buffers = Elements(Root, 4);
        if (index >= buffers.Length) return 0;
        int b = Follow(buffers[index]);
        int data = Field(b, 0);
        if (data >= 0 && U32(Follow(data)) > 0) return U32(Follow(data));
        int offset = Field(b, 1), size = Field(b, 2);
        if (offset >= 0 && BinaryPrimitives.ReadUInt64LittleEndian(file.AsSpan(offset)) > 1 && size >= 0)
            return (long)BinaryPrimitives.ReadUInt64LittleEndian(file.AsSpan(size));
        return 0;
    }

    /// <summary>Raw bytes of buffer <paramref name="index"/> (inline or external).</summary>
    public byte[] BufferBytes(uint index)
    {
        var buffers = Elements(Root, 4);
        int b = Follow(buffers[index]);
        int data = Field(b, 0);
        if (data >= 0)
        {
            int v = Follow(data);
            return file.AsSpan(v + 4, (int)U32(v)).ToArray();
        }
        int offset = Field(b, 1), size = Field(b, 2);
        if (offset >= 0 && size >= 0)
        {
            var o = BinaryPrimitives.ReadUInt64LittleEndian(file.AsSpan(offset));
            var n = BinaryPrimitives.ReadUInt64LittleEndian(file.AsSpan(size));
            if (o > 1) return file.AsSpan((int)o, (int)n).ToArray();
        }
        return [];
    }

    public int BufferCount => Elements(Root, 4).Length;

    /// <summary>Metadata entries (name, buffer index).</summary>
    public IReadOnlyList<(string Name, uint Buffer)> Metadata() => Elements(Root, 6).Select(e =>
    {
        int m = Follow(e);
        int s = Follow(Field(m, 0));
        int bf = Field(m, 1);
        return (Encoding.UTF8.GetString(file, s + 4, (int)U32(s)), bf < 0 ? 0u : U32(bf));
    }).ToList();

    /// <summary>Position of the data of buffer <paramref name="index"/> in the file (for alignment checks), or -1.</summary>
    public long BufferDataPosition(uint index)
    {
        int b = Follow(Elements(Root, 4)[index]);
        int data = Field(b, 0);
        if (data >= 0) return Follow(data) + 4;
        int offset = Field(b, 1);
        return offset >= 0 ? (long)BinaryPrimitives.ReadUInt64LittleEndian(file.AsSpan(offset)) : -1;
    }
}
