using System.Text;
using Google.FlatBuffers;

namespace GraphDsl.Importers.Tflite.Schema;

/// <summary>One flatbuffer table, read through Google.FlatBuffers' <see cref="ByteBuffer"/> with
/// every offset checked against the buffer before it is followed.</summary>
/// <remarks>
/// Why hand-written accessors instead of flatc output: Debian's flatc 2.0.8 emits C# for the old
/// <c>FlatBuffers</c> namespace, which does not compile against Google.FlatBuffers 25.x, and
/// generated accessors trust the input (a bad offset reads garbage or throws
/// IndexOutOfRangeException deep inside). These accessors address fields by their schema field id
/// (the position of the field in the <c>table</c> declaration of tensorflow/lite/schema/schema.fbs;
/// the vtable slot of field id N is at byte 4 + 2N), apply the schema default when a field is
/// absent, and validate every position, so malformed files become a
/// <see cref="FlatBufferFormatException"/> with the byte offset instead of a crash. Every loop
/// over a vector is bounded by the vector length, which is validated against the buffer size.
/// </remarks>
internal readonly struct FlatBufferTable
{
    private readonly ByteBuffer _bb;
    private readonly int _length;
    private readonly int _vtable;
    private readonly int _vtableSize;
    private readonly int _tableSize;

    /// <summary>Absolute byte position of the table (its soffset to the vtable).</summary>
    public int Position { get; }

    private FlatBufferTable(ByteBuffer bb, int length, int position, int vtable, int vtableSize, int tableSize)
    {
        _bb = bb; _length = length; Position = position; _vtable = vtable; _vtableSize = vtableSize; _tableSize = tableSize;
    }

    /// <summary>The root table: the uoffset at byte 0 of the file.</summary>
    public static FlatBufferTable Root(ByteBuffer bb, int length)
    {
        if (length < 8) throw new FlatBufferFormatException(0, $"file is {length} bytes long, too short for a flatbuffer header (8 bytes)");
        return At(bb, length, Deref(bb, length, 0, "root table"));
    }

    /// <summary>Validates and opens the table at <paramref name="position"/>.</summary>
    public static FlatBufferTable At(ByteBuffer bb, int length, int position)
    {
        if (position < 0 || position > length - 4)
            throw new FlatBufferFormatException(position, "table offset points outside the file");
        long vtable = (long)position - bb.GetInt(position);
        if (vtable < 0 || vtable > length - 4)
            throw new FlatBufferFormatException(position, $"vtable of the table at byte {position} points outside the file (byte {vtable})");
        int vtableSize = bb.GetUshort((int)vtable);
        int tableSize = bb.GetUshort((int)vtable + 2);
        if (vtableSize < 4 || vtableSize % 2 != 0 || vtable + vtableSize > length)
            throw new FlatBufferFormatException(vtable, $"vtable at byte {vtable} has an invalid size {vtableSize}");
        if (tableSize < 4 || (long)position + tableSize > length)
            throw new FlatBufferFormatException(position, $"table at byte {position} claims {tableSize} bytes, past the end of the file");
        return new FlatBufferTable(bb, length, position, (int)vtable, vtableSize, tableSize);
    }

    /// <summary>Follows the uoffset stored at <paramref name="at"/>; the target must leave room for a 4-byte header.</summary>
    private static int Deref(ByteBuffer bb, int length, int at, string what)
    {
        if (at < 0 || at > length - 4) throw new FlatBufferFormatException(at, $"offset to {what} lies outside the file");
        long target = (long)at + bb.GetUint(at);
        if (target > length - 4) throw new FlatBufferFormatException(at, $"offset to {what} at byte {at} points outside the file (byte {target})");
        return (int)target;
    }

    /// <summary>Absolute position of field <paramref name="id"/> of <paramref name="size"/> bytes, or 0 when absent.</summary>
    public int FieldPosition(int id, int size)
    {
        int slot = 4 + 2 * id;
        if (slot + 2 > _vtableSize) return 0;
        int offset = _bb.GetUshort(_vtable + slot);
        if (offset == 0) return 0;
        if (offset + size > _tableSize)
            throw new FlatBufferFormatException(Position + offset, $"field {id} of the table at byte {Position} lies outside the table");
        return Position + offset;
    }

    public bool Has(int id) => FieldPosition(id, 1) != 0;

    public byte UInt8(int id, byte fallback = 0) => FieldPosition(id, 1) is var p and not 0 ? _bb.Get(p) : fallback;
    public sbyte Int8(int id, sbyte fallback = 0) => FieldPosition(id, 1) is var p and not 0 ? _bb.GetSbyte(p) : fallback;
    public bool Bool(int id, bool fallback = false) => FieldPosition(id, 1) is var p and not 0 ? _bb.Get(p) != 0 : fallback;
    public int Int32(int id, int fallback = 0) => FieldPosition(id, 4) is var p and not 0 ? _bb.GetInt(p) : fallback;
    public uint UInt32(int id, uint fallback = 0) => FieldPosition(id, 4) is var p and not 0 ? _bb.GetUint(p) : fallback;
    public long Int64(int id, long fallback = 0) => FieldPosition(id, 8) is var p and not 0 ? _bb.GetLong(p) : fallback;
    public ulong UInt64(int id, ulong fallback = 0) => FieldPosition(id, 8) is var p and not 0 ? _bb.GetUlong(p) : fallback;
    public float Float32(int id, float fallback = 0) => FieldPosition(id, 4) is var p and not 0 ? _bb.GetFloat(p) : fallback;

    /// <summary>The sub-table in field <paramref name="id"/>, or null when absent.</summary>
    public FlatBufferTable? Table(int id)
    {
        var p = FieldPosition(id, 4);
        return p == 0 ? null : At(_bb, _length, Deref(_bb, _length, p, $"table field {id}"));
    }

    /// <summary>The vector in field <paramref name="id"/> with elements of <paramref name="elementSize"/> bytes, or null.</summary>
    public FlatBufferVector? Vector(int id, int elementSize)
    {
        var p = FieldPosition(id, 4);
        return p == 0 ? null : FlatBufferVector.At(_bb, _length, Deref(_bb, _length, p, $"vector field {id}"), elementSize);
    }

    public string? String(int id) => Vector(id, 1)?.AsString();

    /// <summary>The bytes of the table's inline fields, for opaque attributes. The leading soffset
    /// to the vtable is left out because it depends only on where the table sits in the file, so a
    /// scalar-only table gives the same bytes wherever a writer put it.</summary>
    public byte[] InlineBytes() => _bb.ToArray<byte>(Position + 4, _tableSize - 4);

    /// <summary>Byte offsets of the table's fields inside the table (0 = absent), by field id.</summary>
    public int[] FieldOffsets()
    {
        var offsets = new int[(_vtableSize - 4) / 2];
        for (int i = 0; i < offsets.Length; i++) offsets[i] = _bb.GetUshort(_vtable + 4 + 2 * i);
        return offsets;
    }

    internal ByteBuffer Buffer => _bb;

    internal static string DecodeUtf8(ReadOnlySpan<byte> bytes) => Encoding.UTF8.GetString(bytes);
}
