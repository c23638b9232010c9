using GraphDsl.Ir.Diagnostics;

namespace GraphDsl.Scheduling;

/// <summary>Diagnostics of order search, shared by the <c>order</c> pass and the
/// <c>graphdsl order</c> command so both report the same IDs.</summary>
public static class OrderSearchDiagnostics
{
    public static readonly DiagnosticDescriptor UnsizedActivation = new("GD3201", Severity.Error,
        "Cannot order '{0}': activation '{1}' has no byte size{2}: {3}.");

    public static readonly DiagnosticDescriptor CyclicGraph = new("GD3202", Severity.Error,
        "Cannot order '{0}': its operators depend on each other in a cycle.");

    public static readonly DiagnosticDescriptor NotProven = new("GD3203", Severity.Warning,
        "Order search stopped ({0}) before proving optimality: peak {1} bytes, proven lower bound {2} bytes.");

    /// <summary>The memory view of <paramref name="graph"/>, or null after reporting GD3201.</summary>
    public static GraphDsl.Analysis.MemoryProblem? CreateProblem(GraphDsl.Ir.Graph graph, Action<Diagnostic> report)
    {
        var problem = GraphDsl.Analysis.MemoryProblem.TryCreate(graph, out var unsized);
        if (problem is not null) return problem;
        var first = unsized[0];
        report(Diagnostic.Create(UnsizedActivation, first.Origin.Location ?? graph.Origin.Location, graph.Name, first.Name,
            unsized.Count > 1 ? $" (and {unsized.Count - 1} more)" : "", GraphDsl.Analysis.MemoryProblem.WhyUnsized(first)));
        return null;
    }

    /// <summary>GD3202 or GD3203 when the result calls for one.</summary>
    public static Diagnostic? ForResult(GraphDsl.Ir.Graph graph, OrderSearchResult result) => result switch
    {
        { Outcome: OrderSearchOutcome.Cyclic } => Diagnostic.Create(CyclicGraph, graph.Origin.Location, graph.Name),
        { ProvenOptimal: false } => Diagnostic.Create(NotProven, graph.Origin.Location, result.Outcome, result.PeakBytes, result.LowerBoundBytes),
        _ => null,
    };
}
