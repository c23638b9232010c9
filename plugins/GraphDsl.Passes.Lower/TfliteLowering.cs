using GraphDsl.Ir.Diagnostics;
using GraphDsl.Lowering;
using GraphDsl.Lowering.Tflite;

namespace GraphDsl.Passes.Lower;

/// <summary>Calls the TFLite rewriter (GraphDsl.Lowering.Tflite) with the plan: the planned main
/// graph with its operators in execution order, and the arena offset of every tensor (-1 where
/// the runtime plans it: constants and variables).</summary>
/// <remarks>Subgraph 0 is written from the IR graph, so operators and tensors a pass added,
/// removed or changed are written too (TfliteRewriter, MainSubgraphMapping); the IR tensor table
/// order is the written tensor numbering, which the offline plan is keyed by. For an unchanged
/// graph that is the source's numbering and every table is copied.</remarks>
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
        var result = TfliteRewriter.TryRewrite(original, path, plan.StoredInExecutionOrder(), plan.WritesOfflinePlan ? plan.OffsetsByTensorIndex() : null);
        diagnostics.AddRange(result.Diagnostics);
        return result.Bytes;
    }
}
