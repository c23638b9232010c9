using System.Globalization;
using System.Text;

namespace GraphDsl.Benchmarks;

/// <summary>Writes the measured rows as CSV files (raw bytes and milliseconds, one header line,
/// RFC 4180 quoting), one file per table.</summary>
internal static class CsvReport
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    public static void Write(BenchmarkReport r, string folder)
    {
        if (r.Settings.RunCorpus)
        {
            File.WriteAllText(Path.Combine(folder, "corpus.csv"), Csv(
                ["model", "operators", "activations", "proven_lower_bound_bytes", "stored_peak_bytes", "tflm_greedy_arena_stored_bytes",
                    "optimized_peak_bytes", "optimized_arena_bytes", "inplace_saved_bytes", "views_saved_bytes", "concat_saved_bytes",
                    "saved_vs_greedy_bytes", "saved_vs_greedy_percent", "proven_optimal", "order_outcome",
                    "order_ms_median", "order_ms_min", "order_ms_max", "order_runs", "arena_ms_median", "arena_ms_min", "arena_ms_max", "arena_runs",
                    "import_ms_median", "import_ms_min", "import_ms_max", "import_runs", "file_bytes", "error", "dims", "assumed_dims"],
                r.Corpus.Select(x => new object?[]
                {
                    x.Model, x.Operators, x.Activations, x.LowerBound, x.StoredPeak, x.GreedyArenaStored, x.OptimizedPeak, x.OptimizedArena,
                    x.InPlaceSaved, x.ViewsSaved, x.ConcatSaved, x.SavedAgainstGreedy, x.SavedPercent, x.ProvenOptimal, x.OrderOutcome,
                }.Concat(Timing(x.OrderTime)).Concat(Timing(x.ArenaTime)).Concat(Timing(x.ImportTime)).Append(x.FileBytes).Append(x.Error)
                    .Append(string.Join(" ", x.Dims)).Append(string.Join("; ", x.AssumedDims)))));
            File.WriteAllText(Path.Combine(folder, "arena-checks.csv"), Csv(
                ["model", "order", "adjusted_peak_bytes", "arena_bytes", "tflm_greedy_arena_bytes", "peak_bytes", "within_bounds",
                    "inplace_saved_bytes", "views_saved_bytes", "concat_saved_bytes", "all_saved_bytes", "strategy", "verifier_findings", "first_finding"],
                r.Corpus.SelectMany(x => x.Checks.Select(c => new object?[]
                {
                    x.Model, c.Order, c.AdjustedPeak, c.Arena, c.GreedyArena, c.Peak, c.WithinBounds, c.InPlaceSaved, c.ViewsSaved,
                    c.ConcatSaved, c.AllSaved, c.Strategy, c.VerifierFindings, c.FirstFinding,
                }))));
        }
        if (r.Tflm.Count > 0)
        {
            File.WriteAllText(Path.Combine(folder, "tflm.csv"), Csv(
                ["model", "tflm_commit", "head_before_bytes", "head_after_bytes", "arena_used_before_bytes", "arena_used_after_bytes",
                    "predicted_head_before_bytes", "predicted_head_after_bytes", "predicted_arena_used_before_bytes", "predicted_arena_used_after_bytes",
                    "prediction_estimate", "tiled_regions", "mac_overhead_percent", "outputs_identical", "seeds", "optimize_ms", "refused", "error"],
                r.Tflm.Select(x => new object?[]
                {
                    x.Model, r.TflmCommit, x.HeadBefore, x.HeadAfter, x.UsedBefore, x.UsedAfter,
                    x.PredictedHeadBefore, x.PredictedHeadAfter, x.PredictedUsedBefore, x.PredictedUsedAfter, x.Estimate,
                    x.TiledRegions, x.MacOverheadPercent, x.OutputsIdentical, x.Seeds, x.OptimizeMs, x.Refused, x.Error,
                })));
        }
        if (r.Settings.RunScale)
        {
            File.WriteAllText(Path.Combine(folder, "scale.csv"), Csv(
                ["kind", "requested_operators", "operators", "activations", "stored_peak_bytes", "peak_bytes", "proven_lower_bound_bytes", "gap_percent",
                    "proven_optimal", "outcome", "states", "ms_median", "ms_min", "ms_max", "runs", "baseline_working_set_bytes", "peak_working_set_bytes", "error"],
                r.Scale.Select(s => new object?[]
                {
                    s.Kind, s.RequestedOperators, s.Operators, s.Activations, s.StoredPeak, s.Peak, s.LowerBound, s.GapPercent,
                    s.ProvenOptimal, s.Outcome, s.States,
                }.Concat(Timing(new TimingSample(s.TimesMs))).Append(s.BaselineWorkingSetBytes).Append(s.PeakWorkingSetBytes).Append(s.Error))));
        }
    }

    private static object?[] Timing(TimingSample? t) =>
        t is null || t.Runs == 0 ? [null, null, null, 0] : [t.Median, t.Min, t.Max, t.Runs];

    private static string Csv(string[] header, IEnumerable<IEnumerable<object?>> rows)
    {
        var text = new StringBuilder();
        text.Append(string.Join(',', header)).Append('\n');
        foreach (var row in rows) text.Append(string.Join(',', row.Select(Field))).Append('\n');
        return text.ToString();
    }

    private static string Field(object? value)
    {
        string s = value switch
        {
            null => "",
            bool b => b ? "true" : "false",
            double d => d.ToString("0.###", C),
            IFormattable f => f.ToString(null, C),
            _ => value.ToString() ?? "",
        };
        return s.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + s.Replace("\"", "\"\"") + "\"" : s;
    }
}
