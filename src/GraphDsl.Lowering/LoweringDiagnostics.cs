using GraphDsl.Ir.Diagnostics;

[assembly: DiagnosticRange("GD3501", "GD3599")]

namespace GraphDsl.Lowering;

/// <summary>Diagnostics of lowering (GD35xx): a plan that cannot be turned into files, or a source
/// model that cannot be rewritten.</summary>
public static class LoweringDiagnostics
{
    public static readonly DiagnosticDescriptor MissingOrder = new("GD3501", Severity.Error,
        "Cannot lower graph '{0}': the @order annotations do not form a valid execution order ({1}). Run the 'order' pass first.");

    public static readonly DiagnosticDescriptor MissingPlacement = new("GD3502", Severity.Error,
        "Cannot lower: activation tensor '{0}' has neither an @arena placement nor an @alias. Run the 'arena' pass first.");

    public static readonly DiagnosticDescriptor BadAlias = new("GD3504", Severity.Error,
        "Cannot lower: the @alias of tensor '{0}' does not lead to a placed tensor ({1}).");

    public static readonly DiagnosticDescriptor ArenaTooSmall = new("GD3505", Severity.Error,
        "Cannot lower: @arena_plan says the arena is {0} bytes, but tensor '{1}' ends at byte {2}.");

    public static readonly DiagnosticDescriptor MalformedOnnx = new("GD3507", Severity.Error,
        "Cannot rewrite the ONNX model: {0}");

    public static readonly DiagnosticDescriptor OnnxNodeMismatch = new("GD3508", Severity.Error,
        "Cannot rewrite the ONNX model: operator '{0}' matches no node of the file's graph (outputs {1}).");

    public static readonly DiagnosticDescriptor ArenaBeyondInt32 = new("GD3509", Severity.Error,
        "Cannot write the offline memory plan of graph '{0}': tensor '{1}' ends at arena byte {2}, beyond the int32 offsets of TFLite Micro's OfflineMemoryAllocation metadata (at most 2147483647).");
}
