namespace GraphDsl.Ir;

/// <summary>The file a model was read from, as the loader read it: its path (for locations), the
/// format of its front end (<c>gdsl</c>, <c>tflite</c>, <c>onnx</c>) and its bytes, read once.
/// Lowering rewrites these bytes (weights, metadata the IR does not hold) instead of reading the
/// file again, so what it writes always matches what was imported.</summary>
/// <param name="Path">Path as the user gave it.</param>
/// <param name="Format">Front end that read it; lowering dispatches on this, not on an extension.</param>
/// <param name="Bytes">The file content, read-only.</param>
public sealed record ModelSource(string Path, string Format, ReadOnlyMemory<byte> Bytes)
{
    public const string Text = "gdsl";
    public const string Tflite = "tflite";
    public const string Onnx = "onnx";
}
