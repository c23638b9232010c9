namespace GraphDsl.Importers.Tflite.Schema;

/// <summary>Raised by the bounds-checked accessors when the bytes do not form a valid flatbuffer
/// (an offset outside the buffer, a vtable that does not fit, ...). It never leaves the library:
/// <see cref="TfliteImporter"/> turns it into one GD2xxx diagnostic naming the byte offset.</summary>
internal sealed class FlatBufferFormatException(long byteOffset, string message) : Exception(message)
{
    public long ByteOffset { get; } = byteOffset;
}
