using System.Globalization;
using System.Text.Json;
using GraphDsl.Analysis.Annotations;

namespace GraphDsl.Reports;

/// <summary>What <c>graphdsl plan</c> prints for the arena pass's result (<see cref="ArenaPlanSummary"/>,
/// read from <c>@arena_plan</c>): the arena, the liveness peaks, TFLite Micro's figures and, when
/// the pass measured them (<c>reuse-savings=true</c>), what each reuse kind saves.</summary>
/// <param name="Model">The model's file name, as every command's output names it.</param>
/// <param name="Verified">Whether the <c>verify</c> pass accepted the plan.</param>
/// <param name="TflmRunsModel">False for an ONNX input: TensorFlow Lite Micro does not load it, so
/// its head and arena are left out (null in JSON) rather than shown for a runtime that cannot run it.</param>
public sealed record ArenaPlanReport(string Model, ArenaPlanSummary Plan, bool Verified, bool TflmRunsModel = true)
{
    private TflmArenaSummary? Tflm => TflmRunsModel ? Plan.Tflm : null;

    /// <summary>The lines <c>plan</c> prints: arena, peaks, TFLM head and arena, reuse table.</summary>
    public string Text()
    {
        var c = CultureInfo.InvariantCulture;
        string N(long v) => v.ToString("N0", c);
        var p = Plan;
        var lines = new List<string>
        {
            $"{Model}: arena {N(p.ArenaBytes)} B ({p.Strategy}{(p.ProvenMinimal ? ", proven minimal for this order" : "")}), align {p.Alignment}",
            $"  liveness peak {N(p.PeakBytes)} B, in-place-adjusted peak {N(p.AdjustedPeakBytes)} B, fragmentation {ArenaPlanSummary.FragmentationOf(p.ArenaBytes, p.AdjustedPeakBytes).ToString("P1", c)}",
            $"  TFLite Micro's own plan of the input {N(p.TflmGreedyArenaBytes)} B (tensors alone; greedy, or the offline plan the file carries); verify: {(Verified ? "ok" : "FAILED")}",
            Tflm is { } tflm
                ? $"  TFLite Micro head (planned section): {N(tflm.StoredHeadBytes)} B with its own plan, {N(tflm.Written.HeadBytes)} B with this plan (offline plan: {tflm.OfflinePlan})"
                : TflmRunsModel ? "  TFLite Micro head: not predicted for this model"
                : "  TFLite Micro head: not shown: TensorFlow Lite Micro does not load ONNX models",
        };
        if (Tflm?.Written is { } t)
        {
            lines.Add($"  TFLite Micro arena (kTensorArenaSize): {(t.ArenaBytes is { } total ? N(total) : "?")} B with this plan = head {N(t.HeadBytes)} (activations {N(t.ActivationBytes)} + scratch {N(t.ScratchBytes)}) + persistent {(t.PersistentBytes is { } tail ? N(tail) : "?")} (64-bit host layout); TFLM {t.Commit}"
                + (t.Estimate is { } e ? $"; estimate: {e}" : ""));
        }
        if (p.ReuseSavings is { } savings)
        {
            lines.Add("  reuse      arena B   adjusted peak B   saved B");
            lines.AddRange(savings.Select(e => $"  {e.Reuse,-8} {N(e.ArenaBytes),9} {N(e.AdjustedPeakBytes),17} {N(e.SavedBytes),9}"));
        }
        return string.Join(Environment.NewLine, lines) + Environment.NewLine;
    }

    /// <summary>One indented JSON object with the same figures (snake_case keys, bytes).</summary>
    public string Json()
    {
        var p = Plan;
        var document = new Dictionary<string, object?>
        {
            ["model"] = Model,
            ["arena_bytes"] = p.ArenaBytes,
            ["peak_bytes"] = p.PeakBytes,
            ["adjusted_peak_bytes"] = p.AdjustedPeakBytes,
            ["tflm_greedy_arena_bytes"] = p.TflmGreedyArenaBytes,
            // TFLM's head for the model as planned (offline plan as it would be written) and TFLM's own plan.
            ["tflm_head_bytes"] = Tflm?.Written.HeadBytes,
            ["tflm_arena_bytes"] = Tflm?.Written.ArenaBytes,
            ["tflm_breakdown"] = Tflm?.Written is { } t ? new Dictionary<string, long?>
            {
                ["activation_bytes"] = t.ActivationBytes, ["scratch_bytes"] = t.ScratchBytes, ["persistent_bytes"] = t.PersistentBytes,
            } : null,
            ["tflm_stored_head_bytes"] = Tflm?.StoredHeadBytes,
            ["tflm_stored_arena_bytes"] = Tflm?.StoredArenaBytes,
            ["tflm_estimate"] = Tflm?.Written.Estimate,
            ["tflm_commit"] = Tflm?.Written.Commit,
            ["tflm_runs_model"] = TflmRunsModel,
            ["strategy"] = p.Strategy,
            ["proven_minimal"] = p.ProvenMinimal,
            ["align"] = p.Alignment,
            ["fragmentation"] = Math.Round(ArenaPlanSummary.FragmentationOf(p.ArenaBytes, p.AdjustedPeakBytes), 6),
            ["reuse"] = p.Reuse,
            ["verified"] = Verified,
            ["reuse_savings"] = p.ReuseSavings?.ToDictionary(e => e.Reuse, e => new Dictionary<string, long>
            {
                ["arena_bytes"] = e.ArenaBytes, ["adjusted_peak_bytes"] = e.AdjustedPeakBytes, ["saved_bytes"] = e.SavedBytes,
            }),
        };
        return JsonSerializer.Serialize(document, new JsonSerializerOptions { WriteIndented = true }) + Environment.NewLine;
    }
}
