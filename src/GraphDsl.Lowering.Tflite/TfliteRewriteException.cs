namespace GraphDsl.Lowering.Tflite;

/// <summary>A model the rewriter cannot copy faithfully; internal control flow that
/// <see cref="TfliteRewriter"/> turns into a GD2106 diagnostic.</summary>
internal sealed class TfliteRewriteException(string message) : Exception(message);
