using GraphDsl.Ir.Diagnostics;
using GraphDsl.Lowering;

namespace GraphDsl.Passes.Lower;

/// <summary>Calls the TFLite rewriter (GraphDsl.Lowering.Tflite) with the plan: operators of
/// subgraph 0 in execution order, and the arena offset of every tensor of subgraph 0 (-1 where
/// the runtime plans it: constants and variables).</summary>
internal static class TfliteLowering
{
    public static byte[]? Rewrite(byte[] original, LoweringPlan plan, string path, DiagnosticBag diagnostics)
    {
        diagnostics.Report(LoweringDiagnostics.TfliteRewriteFailed, new ModelLocation(path, ""),
            "this build has no TFLite rewriter (GraphDsl.Lowering.Tflite)");
        return null;
    }
}
