using GraphDsl.Ir.Diagnostics;

namespace GraphDsl.Lowering.Tflite;

/// <summary>The rewritten model's bytes, or null with the diagnostics that prevented rewriting.</summary>
public sealed record TfliteRewriteResult(byte[]? Bytes, IReadOnlyList<Diagnostic> Diagnostics)
{
    public bool Succeeded => Bytes is not null;
}
