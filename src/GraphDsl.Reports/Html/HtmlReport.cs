using System.Globalization;
using System.Text;
using GraphDsl.Analysis;
using GraphDsl.Analysis.Annotations;
using GraphDsl.Ir;
using GraphDsl.Ir.Diagnostics;
using GraphDsl.Lowering;
using static GraphDsl.Reports.Html.SvgCharts;

namespace GraphDsl.Reports.Html;

/// <summary>Renders the result of <c>graphdsl optimize</c> as one self-contained HTML page: model
/// summary, before/after table, memory per operator before and after (peak marked), the arena
/// layout before and after, and the schedule.</summary>
/// <remarks>Nothing is fetched: CSS and SVG are inline, there are no scripts, fonts or links, so
/// the page renders the same offline and in a sandboxed viewer.</remarks>
public static class HtmlReport
{
    /// <summary>The report of a run whose pipeline verified the plan of <paramref name="optimized"/>;
    /// null (with the reason in <paramref name="diagnostics"/>) when its plan does not read.</summary>
    public static string? Render(OptimizationSummary summary, Graph stored, Graph optimized, DiagnosticBag diagnostics) =>
        LoweringPlan.TryRead(optimized, null, diagnostics) is { } plan ? Render(summary, stored, plan) : null;

    /// <param name="summary">The figures of the run.</param>
    /// <param name="stored">The main graph as stored, annotated by an arena plan for the stored
    /// order when one was made (its layout is then drawn as "before").</param>
    /// <param name="optimized">The plan that was lowered.</param>
    public static string Render(OptimizationSummary summary, Graph stored, LoweringPlan optimized)
    {
        var storedProblem = MemoryProblem.Create(stored);
        var before = MemoryProfile.Compute(storedProblem, ExecutionOrder.Stored(stored));
        var after = MemoryProfile.Compute(optimized.Problem, optimized.Order);
        var storedPlan = stored.Tensors.Any(t => t.Annotations.ContainsKey(WellKnownAnnotations.Arena))
            ? LoweringPlan.TryRead(stored, null, new DiagnosticBag(), storedOrder: true)
            : null;
        // A pass may have changed the graph (tile adds band operators), so each chart labels the
        // operators of its own graph.
        string Label(int op) => stored.Operators[op].Label(op);
        string LabelAfter(int op) => optimized.Graph.Operators[op].Label(op);

        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
          .Append("<title>GraphDsl report: ").Append(Esc(summary.Model)).Append("</title>")
          .Append("<style>").Append(Css).Append("</style></head><body>\n");
        sb.Append("<h1>GraphDsl: ").Append(Esc(summary.Model)).Append("</h1>\n");

        sb.Append("<h2>Model</h2><table class=\"facts\">");
        Fact(sb, "graph", stored.Name);
        Fact(sb, "operators", Num(summary.Operators));
        Fact(sb, "activation tensors", Num(summary.ActivationTensors));
        if (summary.AssumedDims is { Count: > 0 } assumed)
            Fact(sb, "dynamic dimensions taken as (figures hold for these sizes only; set with --dim NAME=N)", string.Join(", ", assumed));
        if (summary.SetDims.Count > 0)
            Fact(sb, "dynamic dimensions set with --dim (figures hold for these sizes only)", string.Join(", ", summary.SetDims));
        Fact(sb, "largest single-operator footprint (inputs + outputs of one operator)", Num(summary.LargestOperatorBytes) + " B");
        if (OptimizationSummaryText.OrderLine(summary) is { } orderLine) Fact(sb, "order", orderLine["order: ".Length..]);
        if (summary.SearchMs is { } ms) Fact(sb, "order search time", ms.ToString("0.#", CultureInfo.InvariantCulture) + " ms");
        sb.Append("</table>\n");

        sb.Append("<h2>Before / after</h2><table class=\"numbers\"><tr><th></th><th>before (stored order)</th><th>after</th><th>saved</th><th>saved %</th></tr>");
        Row(sb, "peak live activations", summary.Stored.PeakBytes, summary.Optimized.PeakBytes);
        Row(sb, "arena, GraphDsl plan", summary.Stored.ArenaBytes, summary.Optimized.ArenaBytes);
        if (summary.Stored.TflmGreedyArenaBytes is { } greedy && summary.Stored.TflmHeadBytes is null) Row(sb, "arena vs TFLM greedy planner", greedy, summary.Optimized.ArenaBytes);
        // TFLM's planned section with its own plan (before) and with the written offline plan (after).
        if (summary.Stored.TflmHeadBytes is { } headBefore && summary.Optimized.TflmHeadBytes is { } headAfter)
            Row(sb, $"TFLM head (planned section, TFLM {summary.Tflm?.Commit})", headBefore, headAfter);
        // The whole arena TFLM needs: kTensorArenaSize, head plus persistent section.
        if (summary.Stored.TflmArenaBytes is { } arenaBefore && summary.Optimized.TflmArenaBytes is { } arenaAfter)
        {
            Row(sb, "TFLM arena = kTensorArenaSize (head + persistent)", arenaBefore, arenaAfter);
            if (summary.Stored.TflmBreakdown is (_, _, { } tailBefore) && summary.Optimized.TflmBreakdown is (_, _, { } tailAfter))
                Row(sb, "of which TFLM persistent section (tail)", tailBefore, tailAfter);
        }
        sb.Append("</table>\n");
        if (summary.Tflm?.Estimate is { } estimate)
            sb.Append("<p class=\"legend\">TFLM figures are estimates: ").Append(Esc(estimate)).Append("</p>\n");

        if (summary.Tiling is { } tiling)
        {
            sb.Append("<h2>Tiled stages (row bands)</h2><table class=\"numbers\"><tr><th>input</th><th>output</th><th>operators</th><th>bands</th><th>MACs before</th><th>MACs after</th></tr>");
            foreach (var r in tiling.Regions)
                sb.Append("<tr><td>").Append(Esc(r.Input)).Append("</td><td>").Append(Esc(r.Output)).Append("</td><td>").Append(Num(r.Operators))
                  .Append("</td><td>").Append(Num(r.Bands)).Append("</td><td>").Append(Num(r.MacsBefore)).Append("</td><td>").Append(Num(r.MacsAfter)).Append("</td></tr>");
            sb.Append("</table><p class=\"legend\">Whole model: ").Append(Num(tiling.MacsBefore)).Append(" -> ").Append(Num(tiling.MacsAfter))
              .Append(" MACs (+").Append((100 * tiling.MacOverhead).ToString("0.0", CultureInfo.InvariantCulture)).Append(" %, cap ")
              .Append((100 * tiling.MaxMacOverhead).ToString("0", CultureInfo.InvariantCulture)).Append(" %).</p>\n");
        }

        long memMax = Math.Max(before.PeakBytes, after.PeakBytes);
        sb.Append("<h2>Memory per operator</h2><p class=\"legend\"><span class=\"sw other\"></span>other live tensors ")
          .Append("<span class=\"sw in\"></span>inputs <span class=\"sw out\"></span>outputs ")
          .Append("<span class=\"sw peakc\"></span>peak <span class=\"sw boundc\"></span>largest single-operator footprint</p>\n");
        sb.Append("<h3>Before: stored order</h3>").Append(MemoryPerStep(before, memMax, "memory per step, stored order", Label)).Append('\n');
        sb.Append("<h3>After: optimized order</h3>").Append(MemoryPerStep(after, memMax, "memory per step, optimized order", LabelAfter)).Append('\n');
        PeakTensors(sb, "Live at the peak, before", before.PeakStep, summary.StoredPeakTensors, stored);
        PeakTensors(sb, "Live at the peak, after", after.PeakStep, summary.OptimizedPeakTensors, optimized.Graph);

        sb.Append("<h2>Moved operators</h2>");
        if (summary.Moves.Count == 0) sb.Append("<p>None: the stored order is kept.</p>\n");
        else
        {
            sb.Append("<p>The fewest operators whose moves give the new order; every other operator keeps its stored relative order.</p>")
              .Append("<table class=\"schedule\"><tr><th>operator</th><th>stored position</th><th>new step</th></tr>");
            foreach (var m in summary.Moves)
                sb.Append("<tr><td>").Append(Esc(m.Label)).Append("</td><td>").Append(m.Operator).Append("</td><td>").Append(m.Step).Append("</td></tr>");
            sb.Append("</table>\n");
        }

        long arenaMax = Math.Max(optimized.ArenaBytes, storedPlan?.ArenaBytes ?? 0);
        sb.Append("<h2>Arena layout</h2><p class=\"legend\">Each rectangle is a tensor: across, the steps during which it is alive; up, its bytes in the arena.</p>\n");
        if (storedPlan is not null)
            sb.Append("<h3>Before: stored order</h3>").Append(ArenaLayout(storedPlan, arenaMax, "arena layout, stored order")).Append('\n');
        sb.Append("<h3>After: optimized order</h3>").Append(ArenaLayout(optimized, arenaMax, "arena layout, optimized order")).Append('\n');

        // TFLite operators have no names: the name column shows the first output tensor, as Netron lists it.
        sb.Append("<h2>Schedule</h2><table class=\"schedule\"><tr><th>step</th><th>operator (stored position)</th><th>type</th><th>name</th><th>moved</th><th>live bytes</th></tr>");
        var moved = summary.Moves.Select(m => m.Operator).ToHashSet();
        foreach (var row in after.Rows)
        {
            var o = optimized.Graph.Operators[row.Operator];
            sb.Append("<tr").Append(row.Step == after.PeakStep ? " class=\"peakrow\"" : "").Append("><td>").Append(row.Step)
              .Append("</td><td>").Append(row.Operator).Append("</td><td>").Append(Esc(o.DisplayType))
              .Append("</td><td>").Append(Esc(o.DisplayName)).Append("</td><td>")
              .Append(moved.Contains(row.Operator) ? $"{row.Operator} &rarr; {row.Step}" : "")
              .Append("</td><td>").Append(Num(row.TotalBytes)).Append("</td></tr>");
        }
        sb.Append("</table>\n<p class=\"foot\">Generated by graphdsl optimize.</p></body></html>\n");
        return sb.ToString();
    }

    /// <summary>The tensors alive at a peak, largest first, with the operator that writes each.</summary>
    private static void PeakTensors(StringBuilder sb, string title, int step, IReadOnlyList<LiveTensor> tensors, Graph graph)
    {
        if (tensors.Count == 0) return;
        sb.Append("<h3>").Append(Esc(title)).Append(" (step ").Append(step).Append(")</h3><table class=\"schedule peak\"><tr><th>tensor</th><th>bytes</th><th>written by</th></tr>");
        foreach (var t in tensors)
        {
            int producer = graph.ProducerOf(t.Name);
            sb.Append("<tr><td>").Append(Esc(t.Name)).Append("</td><td>").Append(Num(t.Bytes)).Append("</td><td>")
              .Append(Esc(producer < 0 ? "graph input" : graph.Operators[producer].Label(producer))).Append("</td></tr>");
        }
        sb.Append("</table>\n");
    }

    private static void Fact(StringBuilder sb, string name, string value) =>
        sb.Append("<tr><th>").Append(Esc(name)).Append("</th><td>").Append(Esc(value)).Append("</td></tr>");

    private static void Row(StringBuilder sb, string label, long before, long after)
    {
        double percent = before == 0 ? 0 : 100.0 * (before - after) / before;
        sb.Append("<tr><th>").Append(Esc(label)).Append("</th><td>").Append(Num(before)).Append(" B</td><td>")
          .Append(Num(after)).Append(" B</td><td>").Append(Num(before - after)).Append(" B</td><td>")
          .Append(percent.ToString("0.0", CultureInfo.InvariantCulture)).Append(" %</td></tr>");
    }

    private static string Num(long v) => v.ToString("N0", CultureInfo.InvariantCulture);

    private const string Css = """
        body { font-family: system-ui, sans-serif; margin: 24px; color: #222; max-width: 1140px; }
        h1 { font-size: 24px; } h2 { font-size: 19px; margin-top: 28px; border-bottom: 1px solid #ccc; } h3 { font-size: 15px; }
        table { border-collapse: collapse; } th, td { padding: 3px 10px; border: 1px solid #ddd; text-align: left; }
        table.numbers td { text-align: right; font-variant-numeric: tabular-nums; }
        table.schedule { font-size: 12px; } tr.peakrow { background: #fde2e2; }
        svg { display: block; background: #fff; }
        rect.plot { fill: #fafafa; stroke: #999; } line.grid { stroke: #e4e4e4; }
        text.tick { font-size: 11px; fill: #555; }
        rect.other { fill: #b8c7d9; } rect.in { fill: #5b8fc7; } rect.out { fill: #f0a04b; }
        rect.tensor { stroke: #333; stroke-width: 0.4; opacity: 0.9; }
        line.peak { stroke: #d62728; stroke-width: 1.5; } circle.peakdot { fill: #d62728; }
        text.peaklabel { font-size: 12px; fill: #d62728; font-weight: bold; }
        line.bound { stroke: #2ca02c; stroke-dasharray: 6 4; } text.boundlabel { font-size: 11px; fill: #2ca02c; }
        .legend { font-size: 12px; } .sw { display: inline-block; width: 12px; height: 12px; margin: 0 4px 0 12px; vertical-align: middle; }
        .sw.other { background: #b8c7d9; } .sw.in { background: #5b8fc7; } .sw.out { background: #f0a04b; }
        .sw.peakc { background: #d62728; } .sw.boundc { background: #2ca02c; }
        text.tname { font-size: 10px; fill: #111; pointer-events: none; }
        .foot { color: #888; font-size: 11px; margin-top: 24px; }
        """;
}
