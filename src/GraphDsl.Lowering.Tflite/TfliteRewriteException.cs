using GraphDsl.Ir.Diagnostics;

namespace GraphDsl.Lowering.Tflite;

/// <summary>A model the rewriter cannot copy faithfully, or an IR element it cannot express;
/// internal control flow that <see cref="TfliteRewriter"/> turns into a GD2106 diagnostic at
/// <see cref="Where"/> (the IR node's origin), or at the model when null.</summary>
internal sealed class TfliteRewriteException(string message, Location? where = null) : Exception(message)
{
    public Location? Where { get; } = where;
}
