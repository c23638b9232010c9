using GraphDsl.Ir.Diagnostics;
using GraphDsl.Lowering;
using GraphDsl.Lowering.Tflite;

namespace GraphDsl.Passes.Lower;

/// <summary>Calls the TFLite rewriter (GraphDsl.Lowering.Tflite) with the plan: operators of
/// subgraph 0 in execution order, and the arena offset of every tensor of subgraph 0 (-1 where
/// the runtime plans it: constants and variables).</summary>
/// <remarks>The importer keeps subgraph 0's tensor table order, so the IR tensor index is the
/// TFLite tensor index the offline plan is keyed by.</remarks>
internal static class TfliteLowering
{
    public static byte[]? Rewrite(byte[] original, LoweringPlan plan, string path, DiagnosticBag diagnostics)
    {
        // TFLM reads the offline plan as int32 offsets (micro_allocation_info.cc): an arena past
        // 2^31 - 1 bytes (tensors of up to 2^31 - 1 bytes each, side by side) cannot be written.
        if (plan.Placements.FirstOrDefault(p => p.End > int.MaxValue) is { } beyond)
        {
            diagnostics.Report(LoweringDiagnostics.ArenaBeyondInt32, new ModelLocation(path, "subgraph0"), plan.Graph.Name, beyond.Name, beyond.End);
            return null;
        }
        var result = TfliteRewriter.TryRewrite(original, path, plan.Order, plan.WritesOfflinePlan ? plan.OffsetsByTensorIndex() : null);
        diagnostics.AddRange(result.Diagnostics);
        return result.Bytes;
    }
}
