using GraphDsl.Importers.Tflite.Schema;
using GraphDsl.Ir;
using GraphDsl.Ir.Diagnostics;

namespace GraphDsl.Importers.Tflite;

/// <summary>Reads a TFLite flatbuffer (<c>.tflite</c>) into the IR: every subgraph, tensor,
/// operator, buffer reference, metadata entry and signature.</summary>
/// <remarks>Never throws on bad input: a file that cannot be read, is not a TFLite model, is
/// truncated or has offsets outside the buffer gives a failed <see cref="ReadResult"/> with one
/// GD21xx diagnostic whose <see cref="ModelLocation"/> names where reading stopped (e.g.
/// <c>subgraph0/tensor12, byte 1234</c>). See <see cref="TfliteModelReader"/> for the mapping.</remarks>
public static class TfliteImporter
{

    public static ReadResult Import(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return ReadResult.Failure(Diagnostic.Create(TfliteDiagnostics.CannotReadFile, new ModelLocation(path, ""), e.Message));
        }
        return Import(bytes, path);
    }

    public static ReadResult Import(ReadOnlyMemory<byte> bytes, string path)
    {
        var reader = new TfliteModelReader(bytes, path);
        try
        {
            return new ReadResult(reader.Read(), []);
        }
        catch (FlatBufferFormatException e)
        {
            var fragment = reader.Where.Length == 0 ? $"byte {e.ByteOffset}" : $"{reader.Where}, byte {e.ByteOffset}";
            return ReadResult.Failure(Diagnostic.Create(TfliteDiagnostics.MalformedFlatBuffer, new ModelLocation(path, fragment), e.Message));
        }
        catch (TfliteModelException e)
        {
            return ReadResult.Failure(Diagnostic.Create(e.Descriptor, new ModelLocation(path, e.Fragment), e.Message));
        }
    }
}
