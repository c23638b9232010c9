using GraphDsl.Ir;
using GraphDsl.Ir.Diagnostics;

namespace GraphDsl.Analysis;

/// <summary>Diagnostics of the shared analyses (GD305x). Each problem of an analysis has one ID,
/// whichever pass first asked for the analysis.</summary>
public static class AnalysisDiagnostics
{
    public static readonly DiagnosticDescriptor UnsizedActivation = new("GD3051", Severity.Error,
        "{0} activation tensor(s) have no known byte size (unknown dimensions): {1}; give them static shapes (--dim NAME=N fixes a symbolic ONNX dimension)");

    /// <summary>Every ID an analysis of this assembly may report (for pass descriptors).</summary>
    public static IReadOnlyList<DiagnosticDescriptor> All { get; } = [UnsizedActivation];

    /// <summary>Reports <paramref name="unsized"/> as one GD3051 at the first tensor, naming up to ten.</summary>
    public static void ReportUnsized(Graph graph, IReadOnlyList<Tensor> unsized, DiagnosticBag diagnostics)
    {
        var names = string.Join(", ", unsized.Take(10).Select(t => $"'{t.Name}' {IrPrinter.Type(t.Type)}"))
                    + (unsized.Count > 10 ? $", ... ({unsized.Count - 10} more)" : "");
        diagnostics.Report(UnsizedActivation, unsized[0].Origin.Location ?? graph.Origin.Location, unsized.Count, names);
    }
}
