using GraphDsl.Ir;
using static GraphDsl.Analysis.Annotations.AnnotationRecord;

namespace GraphDsl.Analysis.Annotations;

/// <summary>One region run in row bands: the tensor entering it, the tensor leaving it, the band
/// count, its operators before tiling, and its multiply-accumulates before and after (halo rows
/// recomputed).</summary>
public sealed record TilingRegionSummary(string Input, string Output, long Bands, long Operators, long MacsBefore, long MacsAfter);

/// <summary>What the tile pass did (<c>@tiling(...)</c> on the main graph): the arena it minimized
/// (TFLM's predicted head plus persistent section, or GraphDsl's plan for ONNX; <see cref="TilingSummary.Objective"/>) in bytes and the graph's MACs before and after, and the regions in the order they were tiled.</summary>
public sealed record TilingSummary(long ArenaBeforeBytes, long ArenaAfterBytes, long MacsBefore, long MacsAfter, double MaxMacOverhead, IReadOnlyList<TilingRegionSummary> Regions)
{
    /// <summary>The figure <see cref="ArenaBeforeBytes"/>/<see cref="ArenaAfterBytes"/> give and the
    /// search minimized: <see cref="TflmArena"/> (TFLite models), or <see cref="GraphDslArena"/>
    /// (GraphDsl's own plan, for ONNX models, which do not run on TFLM).</summary>
    public string Objective { get; init; } = TflmArena;

    public const string TflmArena = "tflm_arena";
    public const string GraphDslArena = "graphdsl_arena";

    /// <summary>Extra MACs as a share of the untiled graph's (0.05 = 5 %).</summary>
    public double MacOverhead => MacsBefore == 0 ? 0 : (double)(MacsAfter - MacsBefore) / MacsBefore;
}

/// <summary>The codec of <c>@tiling</c>: written by the tile pass, read by the optimize summary and reports.</summary>
public static class TilingAnnotation
{
    public static Graph Write(Graph graph, TilingSummary summary) => graph with
    {
        Annotations = graph.Annotations.With(WellKnownAnnotations.Tiling, Of(
            (summary.Objective + "_before_bytes", summary.ArenaBeforeBytes), (summary.Objective + "_after_bytes", summary.ArenaAfterBytes),
            ("macs_before", summary.MacsBefore), ("macs_after", summary.MacsAfter),
            ("max_mac_overhead", summary.MaxMacOverhead),
            ("regions", new AttributeValue.List(summary.Regions.Select(r => Of(
                ("input", r.Input), ("output", r.Output), ("bands", r.Bands), ("operators", r.Operators),
                ("macs_before", r.MacsBefore), ("macs_after", r.MacsAfter))).ToEquatableArray())))),
    };

    /// <summary>The graph's <c>@tiling</c>, or null when absent; missing figures read as 0.</summary>
    public static TilingSummary? Read(Graph graph)
    {
        if (Fields(graph.Annotations, WellKnownAnnotations.Tiling) is not { } f) return null;
        var regions = (f["regions"] as AttributeValue.List)?.Items.OfType<AttributeValue.Record>().Select(r => new TilingRegionSummary(
            Text(r.Fields, "input") ?? "", Text(r.Fields, "output") ?? "", Int(r.Fields, "bands") ?? 0, Int(r.Fields, "operators") ?? 0,
            Int(r.Fields, "macs_before") ?? 0, Int(r.Fields, "macs_after") ?? 0)).ToArray() ?? [];
        var objective = f[TilingSummary.GraphDslArena + "_before_bytes"] is not null ? TilingSummary.GraphDslArena : TilingSummary.TflmArena;
        return new TilingSummary(Int(f, objective + "_before_bytes") ?? 0, Int(f, objective + "_after_bytes") ?? 0, Int(f, "macs_before") ?? 0,
            Int(f, "macs_after") ?? 0, Real(f, "max_mac_overhead") ?? 0, regions) { Objective = objective };
    }
}
