using GraphDsl.Ir.Diagnostics;

[assembly: DiagnosticRange("GD3201", "GD3299")]

namespace GraphDsl.Scheduling;

/// <summary>Diagnostics of order search, shared by the <c>order</c> pass and the
/// <c>graphdsl order</c> command so both report the same IDs.</summary>
public static class OrderSearchDiagnostics
{
    public static readonly DiagnosticDescriptor CyclicGraph = new("GD3202", Severity.Error,
        "Cannot order '{0}': its operators depend on each other in a cycle.");

    public static readonly DiagnosticDescriptor NotProven = new("GD3203", Severity.Warning,
        "Order search stopped ({0}) before proving optimality: peak {1} bytes, proven lower bound {2} bytes.");

    /// <summary>GD3202 or GD3203 when the result calls for one.</summary>
    public static Diagnostic? ForResult(GraphDsl.Ir.Graph graph, OrderSearchResult result) => result switch
    {
        { Outcome: OrderSearchOutcome.Cyclic } => Diagnostic.Create(CyclicGraph, graph.Origin.Location, graph.Name),
        { ProvenOptimal: false } => Diagnostic.Create(NotProven, graph.Origin.Location, result.Outcome, result.PeakBytes, result.ProvenLowerBoundBytes),
        _ => null,
    };
}
