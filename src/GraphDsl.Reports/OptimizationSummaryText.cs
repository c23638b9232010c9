using System.Globalization;
using System.Text;
using GraphDsl.Analysis;

namespace GraphDsl.Reports;

/// <summary>The text <c>graphdsl optimize</c> prints for an <see cref="OptimizationSummary"/>:
/// header, before/after table, order line and details (the README's OPTIMIZE-OUTPUT-TEXT block).</summary>
public static class OptimizationSummaryText
{
    /// <summary>Everything <c>optimize</c> prints on stdout before the <c>wrote ...</c> lines.</summary>
    /// <param name="pipeline">The pipeline text that ran, as the user gave it.</param>
    public static string Render(OptimizationSummary summary, string pipeline)
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"model: {summary.Model} ({summary.Operators} operators, {summary.ActivationTensors} activation tensors)\n");
        sb.Append(CultureInfo.InvariantCulture, $"pipeline: {pipeline}\n\n");
        sb.Append(Table(summary));
        if (OrderLine(summary) is { } orderLine) sb.Append(orderLine).Append('\n');
        sb.Append(Details(summary));
        return sb.ToString();
    }

    /// <summary>The line under the table: whether the order is proven optimal, with the proven minimum.</summary>
    public static string? OrderLine(OptimizationSummary s) => (s.OrderProvenOptimal, s.ProvenLowerBoundBytes) switch
    {
        (true, { } bound) => string.Create(CultureInfo.InvariantCulture, $"order: proven optimal, minimum peak over all orders {bound:N0} B (proven lower bound)"),
        (false, { } bound) => string.Create(CultureInfo.InvariantCulture,
            $"order: best found, not proven optimal: peak {s.Optimized.PeakBytes:N0} B, proven lower bound {bound:N0} B (gap {s.Optimized.PeakBytes - bound:N0} B)"),
        _ => null,
    };

    /// <summary>The short before/after/saved table.</summary>
    public static string Table(OptimizationSummary s)
    {
        var rows = new List<(string Label, long Before, long After)>
        {
            ("peak live activations", s.Stored.PeakBytes, s.Optimized.PeakBytes),
            ("arena (GraphDsl plan)", s.Stored.ArenaBytes, s.Optimized.ArenaBytes),
        };
        // TFLM's head before/after is the real comparison (it counts scratch buffers and every
        // subgraph); the activation-only greedy row is shown only where that head is unknown.
        if (s.Stored.TflmGreedyArenaBytes is { } greedy && s.Stored.TflmHeadBytes is null)
            rows.Add(("arena vs TFLM greedy", greedy, s.Optimized.ArenaBytes));
        if (s.Stored.TflmHeadBytes is { } headBefore && s.Optimized.TflmHeadBytes is { } headAfter)
            rows.Add(("TFLM head (planned)", headBefore, headAfter));
        if (s.Stored.TflmArenaBytes is { } totalBefore && s.Optimized.TflmArenaBytes is { } totalAfter)
            rows.Add(("TFLM arena (head+tail)", totalBefore, totalAfter));
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"{"",-24}{"before",14}{"after",14}{"saved",14}{"saved %",9}\n");
        foreach (var (label, before, after) in rows)
            sb.Append(CultureInfo.InvariantCulture,
                $"{label,-24}{before,14:N0}{after,14:N0}{before - after,14:N0}{OptimizationSummary.Percent(before, after),8:F1}%\n");
        // Not the order search's proven optimum: the largest inputs+outputs of one operator, which
        // no order avoids (in-place reuse can still place the arena below it).
        // After tiling the graph has other operators, so its largest one is shown beside the input's.
        if (s.OptimizedLargestOperatorBytes is { } largestAfter && largestAfter != s.LargestOperatorBytes)
            sb.Append(CultureInfo.InvariantCulture, $"{"largest single operator",-24}{s.LargestOperatorBytes,14:N0}{largestAfter,14:N0}\n");
        else
            sb.Append(CultureInfo.InvariantCulture, $"{"largest single operator",-24}{"",14}{s.LargestOperatorBytes,14:N0}\n");
        if (s.Tiling is { } tiling)
        {
            sb.Append(CultureInfo.InvariantCulture,
                $"tiling: {Plural(tiling.Regions.Count, "region")} in row bands ({string.Join(", ", tiling.Regions.Select(r => $"{Plural(r.Operators, "operator")} -> '{LiveTensor.ShortName(r.Output)}' in {r.Bands} bands"))}); MACs {tiling.MacsBefore:N0} -> {tiling.MacsAfter:N0} (+{100 * tiling.MacOverhead:F1}%, cap {100 * tiling.MaxMacOverhead:F0}%)\n");
            // Liveness counts every tensor on its own; a band's SLICE view and the in-place
            // CONCATENATION that joins the bands share bytes, which only the arena counts once.
            if (s.Optimized.PeakBytes > s.Stored.PeakBytes)
                sb.Append("  (peak live activations and largest single operator count each tensor separately; tiling's band slices and joins share bytes with their source and result, which the arena and TFLM rows count once)\n");
        }
        if (s.Optimized.TflmArenaBytes is { } arena && s.Optimized.TflmBreakdown is var (act, scr, persistent))
            sb.Append(CultureInfo.InvariantCulture,
                $"kTensorArenaSize {arena:N0} B for the written model (TFLM {s.Tflm?.Commit}): head {s.Optimized.TflmHeadBytes:N0} = activations {act:N0} + scratch {scr:N0}, persistent {persistent:N0} (64-bit host layout)\n");
        if (s.Tflm?.Note is { } note) sb.Append("TFLM: ").Append(note).Append('\n');
        if (s.Tflm?.Estimate is { } estimate) sb.Append("TFLM figures are estimates: ").Append(estimate).Append('\n');
        if (!s.TflmRunsModel)
            sb.Append("TFLM: no head or arena figures: TensorFlow Lite Micro does not load ONNX models (convert to .tflite for them)\n");
        return sb.ToString();
    }

    /// <summary>The lines under the table: the tensors alive at each peak and the operators that
    /// moved (at most <paramref name="maxMoves"/>, the report lists all).</summary>
    public static string Details(OptimizationSummary s, int maxMoves = 10)
    {
        var sb = new StringBuilder();
        if (s.StoredPeakTensors.Count > 0)
            sb.Append(CultureInfo.InvariantCulture, $"live at the peak, before: {LiveTensor.Describe(s.StoredPeakTensors)}\n");
        if (s.OptimizedPeakTensors.Count > 0)
            sb.Append(CultureInfo.InvariantCulture, $"live at the peak, after:  {LiveTensor.Describe(s.OptimizedPeakTensors)}\n");
        if (s.Moves.Count == 0 && s.Tiling is not null)
        {
            // Band operators replaced the tiled stage, so positions of the input do not map to steps.
            sb.Append("moved operators: not compared (tiling replaced operators by row bands; --report shows the schedule)\n");
            return sb.ToString();
        }
        if (s.Moves.Count == 0)
        {
            sb.Append("moved operators: none (stored order kept)\n");
            return sb.ToString();
        }
        sb.Append(CultureInfo.InvariantCulture, $"moved operators ({s.Moves.Count} of {s.Operators}; stored position -> step):\n");
        foreach (var m in s.Moves.Take(maxMoves))
            sb.Append(CultureInfo.InvariantCulture, $"  {m.Label} {m.Operator} -> {m.Step}\n");
        if (s.Moves.Count > maxMoves) sb.Append(CultureInfo.InvariantCulture, $"  ... and {s.Moves.Count - maxMoves} more (--json or --report list every one)\n");
        return sb.ToString();
    }

    private static string Plural(long n, string noun) => n == 1 ? $"1 {noun}" : string.Create(CultureInfo.InvariantCulture, $"{n:N0} {noun}s");
}
