using Google.FlatBuffers;

namespace GraphDsl.Importers.Tflite.Schema;

/// <summary>A flatbuffer vector whose whole extent (length word and elements) has been checked to
/// lie inside the buffer, so element reads need no further checks except for the tables and
/// strings that elements point to.</summary>
internal readonly struct FlatBufferVector
{
    private readonly ByteBuffer _bb;
    private readonly int _length;
    private readonly int _elementSize;

    /// <summary>Absolute position of element 0.</summary>
    public int Start { get; }

    public int Count { get; }

    private FlatBufferVector(ByteBuffer bb, int length, int start, int count, int elementSize)
    {
        _bb = bb; _length = length; Start = start; Count = count; _elementSize = elementSize;
    }

    public static FlatBufferVector At(ByteBuffer bb, int length, int position, int elementSize)
    {
        uint count = bb.GetUint(position);
        long end = (long)position + 4 + (long)count * elementSize;
        if (end > length)
            throw new FlatBufferFormatException(position, $"vector at byte {position} claims {count} elements of {elementSize} bytes, past the end of the file");
        return new FlatBufferVector(bb, length, position + 4, (int)count, elementSize);
    }

    private int Element(int i) => Start + i * _elementSize;

    public byte UInt8(int i) => _bb.Get(Element(i));
    public int Int32(int i) => _bb.GetInt(Element(i));
    public long Int64(int i) => _bb.GetLong(Element(i));
    public float Float32(int i) => _bb.GetFloat(Element(i));

    /// <summary>Element <paramref name="i"/> of a vector of tables.</summary>
    public FlatBufferTable Table(int i)
    {
        int at = Element(i);
        long target = (long)at + _bb.GetUint(at);
        if (target > _length - 4)
            throw new FlatBufferFormatException(at, $"element {i} of the vector at byte {Start - 4} points outside the file (byte {target})");
        return FlatBufferTable.At(_bb, _length, (int)target);
    }

    public int[] ToInt32Array()
    {
        var result = new int[Count];
        for (int i = 0; i < Count; i++) result[i] = Int32(i);
        return result;
    }

    public long[] ToInt64Array()
    {
        var result = new long[Count];
        for (int i = 0; i < Count; i++) result[i] = Int64(i);
        return result;
    }

    public float[] ToFloat32Array()
    {
        var result = new float[Count];
        for (int i = 0; i < Count; i++) result[i] = Float32(i);
        return result;
    }

    public byte[] ToBytes() => Count == 0 ? [] : _bb.ToArray<byte>(Start, Count * _elementSize);

    public string AsString() => Count == 0 ? "" : FlatBufferTable.DecodeUtf8(_bb.ToArray<byte>(Start, Count));
}
