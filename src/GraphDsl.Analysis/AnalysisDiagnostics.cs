using GraphDsl.Ir;
using GraphDsl.Ir.Diagnostics;

[assembly: DiagnosticRange("GD3050", "GD3059")]

namespace GraphDsl.Analysis;

/// <summary>Diagnostics of the shared analyses (GD305x). Each problem of an analysis has one ID,
/// whichever pass first asked for the analysis.</summary>
public static class AnalysisDiagnostics
{
    public static readonly DiagnosticDescriptor UnsizedActivation = new("GD3051", Severity.Error,
        "{0} activation tensor(s) have no byte size the arena can plan: {1}");

    /// <summary>Every ID an analysis of this assembly may report (for pass descriptors).</summary>
    public static IReadOnlyList<DiagnosticDescriptor> All { get; } = [UnsizedActivation];

    /// <summary>Reports <paramref name="unsized"/> as one GD3051 at the first tensor, naming up to
    /// ten and saying why each has no size (<see cref="RuntimeTensorBytes.WhyUnsized"/>).</summary>
    public static void ReportUnsized(Graph graph, IReadOnlyList<Tensor> unsized, DiagnosticBag diagnostics)
    {
        var names = string.Join("; ", unsized.Take(10).Select(t => $"'{t.Name}': {MemoryProblem.WhyUnsized(t)}"))
                    + (unsized.Count > 10 ? $", ... ({unsized.Count - 10} more)" : "");
        diagnostics.Report(UnsizedActivation, unsized[0].Origin.Location ?? graph.Origin.Location, unsized.Count, names);
    }
}
