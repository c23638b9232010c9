using GraphDsl.Ir;
using static GraphDsl.Analysis.Annotations.AnnotationRecord;

namespace GraphDsl.Analysis.Annotations;

/// <summary>What the order search found (<c>@order_search(...)</c> on the main graph).</summary>
/// <param name="StoredPeakBytes">Liveness peak of the stored order.</param>
/// <param name="PeakBytes">Liveness peak of the order found.</param>
/// <param name="ProvenLowerBoundBytes">Proven minimum over all orders: equal to <paramref name="PeakBytes"/>
/// when <paramref name="ProvenOptimal"/>.</param>
/// <param name="States">Search states explored.</param>
/// <param name="SearchMs">Wall time of the search in milliseconds.</param>
public sealed record OrderSearchSummary(long StoredPeakBytes, long PeakBytes, long ProvenLowerBoundBytes, bool ProvenOptimal, long States, double SearchMs);

/// <summary>The codec of <c>@order_search</c>: written by the order pass with the order itself,
/// read by the order command, the optimize summary and reports.</summary>
public static class OrderSearchAnnotation
{
    public static Graph Write(Graph graph, OrderSearchSummary summary)
    {
        var result = graph with
        {
            Annotations = graph.Annotations.With(WellKnownAnnotations.OrderSearch, Of(
                ("stored_peak_bytes", summary.StoredPeakBytes), ("peak_bytes", summary.PeakBytes),
                ("proven_lower_bound_bytes", summary.ProvenLowerBoundBytes), ("proven_optimal", summary.ProvenOptimal),
                ("states", summary.States), ("search_ms", (long)Math.Round(summary.SearchMs)))),
        };
        return result.Equals(graph) ? graph : result;
    }

    /// <summary>The graph's <c>@order_search</c>, or null when absent; a missing figure reads as 0
    /// and a missing proven_optimal as false (hand-written plans may give only some).</summary>
    public static OrderSearchSummary? Read(Graph graph) =>
        Fields(graph.Annotations, WellKnownAnnotations.OrderSearch) is not { } f
            ? null
            : new OrderSearchSummary(Int(f, "stored_peak_bytes") ?? 0, Int(f, "peak_bytes") ?? 0, Int(f, "proven_lower_bound_bytes") ?? 0,
                Flag(f, "proven_optimal") ?? false, Int(f, "states") ?? 0, Real(f, "search_ms") ?? 0);
}
